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
        // Lazy: connecting at the first command lets a bad argument be reported as such
        // even while Redis is down (fail-open must not swallow it as a Redis failure).
        return $this->engine ??= new Engine($this->settings->redis + ['persistent' => true, 'lazy' => true]);
    }

    public function sink(): Database|Sink
    {
        return $this->sinks->make();
    }

    public function increment(Model $owner, string $key, int $amount = 1): void
    {
        $o = $this->owner($owner, $key);
        $this->failable(fn () => $this->engine()->increment($o->type, $o->id, $key, $amount));
    }

    public function decrement(Model $owner, string $key, int $amount = 1): void
    {
        $o = $this->owner($owner, $key);
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
        $o = $this->owner($owner, $key);
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
     * Sends the buffered increments now (counter.buffer) and returns how many counters were
     * incremented; 0 when nothing is buffered or no increment was made yet. A failure throws
     * (the exception names every delta that was dropped), or is reported under fail_open.
     */
    public function flush(): int
    {
        if ($this->engine === null) {
            return 0;
        }
        $sent = 0;
        $this->failable(function () use (&$sent): void {
            $sent = $this->engine->flush();
        });

        return $sent;
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

    /**
     * The owner of a write, with what only this layer can check: an empty key here too (so
     * bad input throws even when Redis is down and fail-open is on), and text a PostgreSQL
     * table can store — a key it rejects would stop every later sync at its batch.
     */
    private function owner(Model $model, string $key): Owner
    {
        $o = Owner::of($model);
        if ($key === '') {
            throw new InvalidArgumentException('counter key must not be empty');
        }
        if ($this->settings->textOnly) {
            foreach (['key' => $key, 'owner type' => $o->type, 'owner id' => (string) $o->id] as $what => $text) {
                if (!preg_match('//u', $text) || str_contains($text, "\0")) {
                    throw new InvalidArgumentException(sprintf(
                        'counter %s %s is not UTF-8 text without NUL bytes, which the PostgreSQL table stores',
                        $what,
                        json_encode($text, JSON_INVALID_UTF8_SUBSTITUTE | JSON_UNESCAPED_UNICODE)
                    ));
                }
            }
        }

        return $o;
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
