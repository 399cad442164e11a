<?php

// The counting service behind Counter and HasCounters: owner mapping, the Redis engine,
// the SQL sink, set/reset semantics and the fail-open policy.

declare(strict_types=1);

namespace Tally\Laravel;

use Closure;
use Illuminate\Database\Eloquent\Model;
use Tally\Counter as Engine;
use Tally\Database;
use Tally\Exception as TallyException;
use Tally\InvalidArgumentException;
use Tally\Laravel\Sync\SinkFactory;
use Tally\Sink;

final class CounterManager
{
    private ?Engine $engine = null;
    private Database|Sink|null $sink = null;

    public function __construct(
        private readonly Settings $settings,
        private readonly SinkFactory $sinks,
        /** @var Closure(\Throwable): void what fail-open does with a swallowed exception */
        private readonly Closure $reporter,
    ) {
    }

    public function settings(): Settings
    {
        return $this->settings;
    }

    public function engine(): Engine
    {
        return $this->engine ??= new Engine($this->settings->redis + ['persistent' => true]);
    }

    public function sink(): Database|Sink
    {
        return $this->sink ??= $this->sinks->make();
    }

    public function increment(Model $owner, string $key, int $amount = 1): void
    {
        $o = Owner::of($owner);
        self::checkKey($key);
        $this->failable(fn () => $this->engine()->increment($o->type, $o->id, $key, $amount));
    }

    public function decrement(Model $owner, string $key, int $amount = 1): void
    {
        $o = Owner::of($owner);
        self::checkKey($key);
        $this->failable(fn () => $this->engine()->decrement($o->type, $o->id, $key, $amount));
    }

    /** SQL + pending + in flight: exact, also while a sync runs. */
    public function get(Model $owner, string $key): int
    {
        $o = Owner::of($owner);

        return $this->engine()->get($this->sink(), $o->type, $o->id, $key);
    }

    /**
     * @param list<string> $keys
     * @return array<string,int>
     */
    public function getMany(Model $owner, array $keys): array
    {
        $o = Owner::of($owner);
        foreach ($keys as $i => $key) {
            if (!is_string($key)) {
                throw new InvalidArgumentException(sprintf('counter keys must be strings, got %s at index %s', get_debug_type($key), (string) $i));
            }
        }

        return $this->engine()->getMany($this->sink(), $o->type, $o->id, array_values($keys));
    }

    /** @return array<string,int> every counter of the owner, stored or only pending, by key */
    public function all(Model $owner): array
    {
        $o = Owner::of($owner);
        $all = $this->engine()->getAll($this->sink(), $o->type, $o->id);
        ksort($all, SORT_STRING);

        return $all;
    }

    /**
     * Makes the counter read $value by adding the difference to its exact value as a pending
     * delta. The exact read is correct at every instant of a sync and the delta goes through
     * the same exactly-once path as any increment, so a concurrent sync never undoes or doubles
     * it. Increments by others between the read and the write are kept (the result is $value
     * plus them); two set/reset calls on one counter at the same moment are not serialised.
     */
    public function set(Model $owner, string $key, int $value): void
    {
        $o = Owner::of($owner);
        $engine = $this->engine();
        $current = $engine->get($this->sink(), $o->type, $o->id, $key);
        if ($current === $value) {
            return;
        }
        $delta = $value - $current;
        if (!is_int($delta)) {
            throw new InvalidArgumentException("cannot set counter '$key' from $current to $value: the difference does not fit in 64 bits");
        }
        $engine->increment($o->type, $o->id, $key, $delta);
    }

    public function reset(Model $owner, string $key): void
    {
        $this->set($owner, $key, 0);
    }

    /**
     * @param array<string,mixed> $options Tally\Counter::sync() options
     * @return array<string,mixed> the sync report
     */
    public function sync(array $options = []): array
    {
        return $this->engine()->sync($this->sink(), $options + [
            'batch_size' => $this->settings->batchSize,
            'lock_ttl' => $this->settings->lockTtl,
        ]);
    }

    /** Checked here too so that bad input throws even when Redis is down and fail-open is on. */
    private static function checkKey(string $key): void
    {
        if ($key === '') {
            throw new InvalidArgumentException('counter key must not be empty');
        }
    }

    /**
     * Runs a write under the fail-open policy: with counter.fail_open, a Redis failure is
     * reported and swallowed (bad arguments always throw). Returns whether it ran.
     */
    public function failable(Closure $write): bool
    {
        try {
            $write();

            return true;
        } catch (InvalidArgumentException $e) {
            throw $e;
        } catch (TallyException $e) {
            if (!$this->settings->failOpen) {
                throw $e;
            }
            ($this->reporter)($e);

            return false;
        }
    }
}
