<?php

// The counting service behind Counter and HasCounters: owner mapping (null: global), the
// Redis engine, the SQL sink, periods (explicit or declared), set/reset semantics, gauges
// and the fail-open policy.

declare(strict_types=1);

namespace Tally\Laravel;

use BackedEnum;
use Closure;
use DateTimeInterface;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Support\Carbon;
use Tally\Counter as Engine;
use Tally\Database;
use Tally\Exception as TallyException;
use Tally\InvalidArgumentException;
use Tally\Laravel\Contracts\SyncInstrumenter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Events\CounterDecremented;
use Tally\Laravel\Events\CounterIncremented;
use Tally\Laravel\Events\CounterReset;
use Tally\Laravel\Events\CounterSet;
use Tally\Laravel\Sync\SinkFactory;
use Tally\Laravel\Sync\SyncRun;
use Tally\Laravel\Testing\CounterFake;
use Tally\Laravel\Testing\FakeDatabase;
use Tally\Laravel\Testing\FakeEngine;
use Tally\Sink;

final class CounterManager
{
    private Engine|FakeEngine|null $engine = null;
    private ?SyncInstrumenter $syncInstrumenter = null;
    private ?Uniques $uniques = null;
    private readonly Declarations $declarations;

    public function __construct(
        private readonly Settings $settings,
        private readonly SinkFactory $sinks,
        /** @var Closure(\Throwable): void what fail-open does with a swallowed exception */
        private readonly Closure $reporter,
        private readonly CounterTable $table,
        private readonly CounterEvents $events = new CounterEvents(),
        /** @var ?Closure(): ?SyncInstrumenter the instrumenter of a sync (container, config) */
        private readonly ?Closure $instrumenter = null,
        /** Counter::fake(): the engine, sink and table are its in-memory ones */
        private readonly ?CounterFake $fake = null,
    ) {
        $this->declarations = new Declarations($settings->periods);
        $this->engine = $fake?->engine;
    }

    /** The same service over $fake's engine and table: nothing reaches Redis or SQL. */
    public function withFake(CounterFake $fake): self
    {
        return new self($this->settings, $this->sinks, $this->reporter, $this->table, $this->events, $this->instrumenter, $fake);
    }

    public function fake(): ?CounterFake
    {
        return $this->fake;
    }

    public function settings(): Settings
    {
        return $this->settings;
    }

    /** What models and config declare about their counters (periods, gauges, sources). */
    public function declarations(): Declarations
    {
        return $this->declarations;
    }

    public function engine(): Engine|FakeEngine
    {
        // Lazy: connecting at the first command lets a bad argument be reported as such
        // even while Redis is down (fail-open must not swallow it as a Redis failure).
        return $this->engine ??= new Engine($this->settings->redis + ['persistent' => true, 'lazy' => true]);
    }

    /** Unique counts (HyperLogLogs per period): Uniques.php. */
    public function uniques(): Uniques
    {
        return $this->uniques ??= new Uniques($this, $this->declarations, $this->table());
    }

    public function sink(): Database|Sink
    {
        return $this->fake?->database ?? $this->sinks->make();
    }

    /**
     * Adds $amount to the counter. With $interval: to the period of $at (null: today in
     * counter.timezone) only, a counter of its own (rejoose/model-counter's semantics).
     * Without: to the lifetime counter and every period declared for the key
     * (DefinesCounters, counter.periods), in ONE atomic extension call: all or nothing.
     */
    public function increment(?Model $owner, string|BackedEnum $key, int $amount = 1, ?Interval $interval = null, DateTimeInterface|string|null $at = null): void
    {
        $this->add('increment', $owner, $key, $amount, $interval, $at);
    }

    /** increment()'s opposite, with the same periods. */
    public function decrement(?Model $owner, string|BackedEnum $key, int $amount = 1, ?Interval $interval = null, DateTimeInterface|string|null $at = null): void
    {
        $this->add('decrement', $owner, $key, $amount, $interval, $at);
    }

    /** @param 'increment'|'decrement' $op the engine's method */
    private function add(string $op, ?Model $owner, string|BackedEnum $key, int $amount, ?Interval $interval, DateTimeInterface|string|null $at): void
    {
        [$o, $key] = $this->writable($owner, $key);
        $periods = $this->targets($owner, $key, $interval);
        $date = $periods === [] && $at === null ? null : Clock::date($at, '$at');
        if ($this->failable(function () use ($op, $o, $key, $amount, $periods, $date): void {
            $this->engine()->$op($o->type, $o->id, $key, $amount, $periods, $date);
            $this->fake?->record($op, $o, [$key => $amount], $periods, $date);
        })) {
            $this->changed($op === 'increment', $owner, $key, $amount, $interval, $periods, $date);
        }
        LoadedCounters::forget($owner, $key);
    }

    /**
     * CounterIncremented / CounterDecremented of a write that was applied (or buffered).
     *
     * @param list<string> $periods the engine's periods of the write
     */
    private function changed(bool $up, ?Model $owner, string $key, int $amount, ?Interval $interval, array $periods, ?string $date): void
    {
        $this->events->dispatch(static function () use ($up, $owner, $key, $amount, $interval, $periods, $date): object {
            $fed = [];
            foreach ($periods as $p) {
                if ($p !== '') {
                    $fed[] = Interval::from($p);
                }
            }
            $date = $fed === [] ? null : $date;

            return $up
                ? new CounterIncremented($owner, $key, $amount, $interval, $fed, $date)
                : new CounterDecremented($owner, $key, $amount, $interval, $fed, $date);
        });
    }

    /**
     * Adds each amount (key => amount) as increment() does, every key with its own declared
     * periods, in ONE extension call: all or nothing across keys and periods. $sign -1
     * subtracts them (decrementMany).
     *
     * @param array<array-key,mixed> $counters
     */
    public function incrementMany(?Model $owner, array $counters, ?Interval $interval = null, DateTimeInterface|string|null $at = null, int $sign = 1): void
    {
        /** @var array<string,array{list<string>,array<string,int>}> $groups periods => [periods, amounts] */
        $groups = [];
        $o = null;
        foreach ($counters as $key => $amount) {
            [$o, $key] = $this->writable($owner, (string) $key);
            if (!is_int($amount)) {
                throw new InvalidArgumentException(sprintf("the amount of counter '%s' must be an int, got %s", $key, get_debug_type($amount)));
            }
            if ($sign < 0) {
                if ($amount === PHP_INT_MIN) {
                    throw new InvalidArgumentException("cannot decrement counter '$key' by " . PHP_INT_MIN . ': its negation does not fit in 64 bits');
                }
                $amount = -$amount;
            }
            $periods = $this->targets($owner, $key, $interval);
            $groups[implode(',', $periods)][0] = $periods;
            $groups[implode(',', $periods)][1][$key] = $amount;
        }
        if ($o === null) {
            return;
        }
        $date = $at === null && array_keys($groups) === [''] ? null : Clock::date($at, '$at');
        $ran = $this->failable(function () use ($o, $groups, $date, $sign): void {
            if (count($groups) === 1) {
                [[$periods, $amounts]] = array_values($groups);
                $this->engine()->incrementMany($o->type, $o->id, $amounts, $periods, $date);
            } else {
                // Keys declaring different periods: each key's own list, still ONE call.
                $all = $map = [];
                foreach ($groups as [$periods, $amounts]) {
                    $all += $amounts;
                    foreach (array_keys($amounts) as $key) {
                        $map[$key] = $periods;
                    }
                }
                $this->engine()->incrementMany($o->type, $o->id, $all, $map, $date);
            }
            foreach ($groups as [$periods, $amounts]) {
                $this->fake?->record($sign < 0 ? 'decrement' : 'increment', $o, array_map(static fn (int $a): int => $sign < 0 ? -$a : $a, $amounts), $periods, $date);
            }
        });
        foreach ($groups as [$periods, $amounts]) {
            foreach ($amounts as $key => $amount) {
                LoadedCounters::forget($owner, (string) $key);
                if ($ran && $this->events->on()) {
                    $this->changed($sign > 0, $owner, (string) $key, $sign > 0 ? $amount : -$amount, $interval, $periods, $date);
                }
            }
        }
    }

    /**
     * SQL + pending + in flight: exact, also while a sync runs. With $interval, of the period
     * containing $periodStart (any day of it; null: today in counter.timezone).
     */
    public function get(?Model $owner, string|BackedEnum $key, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): int
    {
        $o = Owner::of($owner);
        $key = CounterDefinition::normalizeKey($key);
        $date = $interval === null ? null : Clock::date($periodStart, '$periodStart');

        return $this->engine()->get($this->sink(), $o->type, $o->id, $key, $interval?->value, $date);
    }

    /**
     * @param list<string|BackedEnum> $keys
     * @return array<string,int> key => exact value (0 when none), in the order asked
     */
    public function getMany(?Model $owner, array $keys, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): array
    {
        $o = Owner::of($owner);
        $names = $this->keyNames($keys);
        $date = $interval === null ? null : Clock::date($periodStart, '$periodStart');

        return $this->engine()->getMany($this->sink(), $o->type, $o->id, $names, $interval?->value, $date);
    }

    /**
     * Exact values of $keys for every model of $models (one owner type), as get() reads
     * them, in one Redis round trip (per cluster master) and one SQL query (per 500 ids and
     * keys) for the whole list: a listing page's counters without N+1.
     *
     * @param iterable<Model> $models
     * @param list<string|BackedEnum> $keys
     * @return array<int|string,array<string,int>> model key => [key => value], in the order given
     */
    public function getForMany(iterable $models, array $keys, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): array
    {
        $type = null;
        $ids = [];
        foreach ($models as $i => $model) {
            if (!$model instanceof Model) {
                throw new InvalidArgumentException(sprintf('getForMany() reads models, got %s at index %s', get_debug_type($model), (string) $i));
            }
            $o = Owner::of($model);
            if ($type !== null && $o->type !== $type) {
                throw new InvalidArgumentException(sprintf("getForMany() reads owners of one type, got '%s' and '%s': load a mixed collection with loadCounters()", $type, $o->type));
            }
            $type = $o->type;
            $ids[] = $o->id;
        }
        $date = $interval === null ? null : Clock::date($periodStart, '$periodStart');

        return $this->readOwners($type ?? '', $ids, $keys, $interval, $date);
    }

    /**
     * @internal getForMany()'s read, for callers that have the owners' type and ids already
     * (LoadedCounters): $date is Clock::date()'s, null without an interval.
     *
     * @param list<int|string> $ids
     * @param list<string|BackedEnum> $keys
     * @return array<int|string,array<string,int>>
     */
    public function readOwners(string $type, array $ids, array $keys, ?Interval $interval, ?string $date): array
    {
        $names = $this->keyNames($keys);
        if ($ids === []) {
            return [];
        }

        return $this->engine()->getForMany($this->sink(), $type, $ids, $names, $interval?->value, $date);
    }

    /**
     * The $limit owners of $model (a model class or morph alias) with the highest exact value
     * of $key (with $interval: in the period containing $period, null the current one),
     * highest first, ties by owner key: owner key => value. Exact, pending deltas included
     * (they can change the order): the owners with a delta in Redis are found by a SCAN,
     * whose cost grows with the Redis keyspace, and read exactly; SQL gives the rest.
     *
     * @return array<int|string,int>
     */
    public function top(string $model, string|BackedEnum $key, int $limit = 10, ?Interval $interval = null, DateTimeInterface|string|null $period = null): array
    {
        $key = CounterDefinition::normalizeKey($key);
        $date = $interval === null ? null : Clock::date($period, '$period');

        return $this->engine()->top($this->sink(), self::morphType($model), $key, $limit, $interval?->value, $date);
    }

    /** A model class's morph class (its morph map alias when there is one); anything else is taken as a morph alias. */
    private static function morphType(string $model): string
    {
        if ($model === '') {
            throw new InvalidArgumentException('top() needs a model class or morph alias, got an empty string');
        }
        if (class_exists($model)) {
            if (!is_subclass_of($model, Model::class)) {
                throw new InvalidArgumentException("top() ranks the owners of a model class: $model is not an Eloquent model");
            }

            return (new $model())->getMorphClass();
        }

        return $model;
    }

    /**
     * @param array<array-key,mixed> $keys
     * @return list<string>
     */
    private function keyNames(array $keys): array
    {
        $names = [];
        foreach ($keys as $i => $key) {
            if (!is_string($key) && !$key instanceof BackedEnum) {
                throw new InvalidArgumentException(sprintf('counter keys must be strings or backed enums, got %s at index %s', get_debug_type($key), (string) $i));
            }
            $names[] = CounterDefinition::normalizeKey($key);
        }

        return $names;
    }

    /** @return array<string,int> every lifetime counter of the owner, stored or only pending, by key */
    public function all(?Model $owner): array
    {
        $o = Owner::of($owner);
        $all = $this->engine()->getAll($this->sink(), $o->type, $o->id);
        ksort($all, SORT_STRING);

        return $all;
    }

    /**
     * Exact values of $periods periods, oldest first, zeros included, keyed by period start
     * 'Y-m-d' (rejoose/model-counter keys by Interval::periodKey(): map with
     * $interval->periodKey(Carbon::parse($start)) if you need its keys). The LAST entry is the
     * period containing $fromDate (null: today in counter.timezone), as the peer's
     * previousPeriods() counts back from it. One Redis round trip and one SQL query.
     *
     * @return array<string,int>
     */
    public function history(?Model $owner, string|BackedEnum $key, Interval $interval, int $periods = 12, DateTimeInterface|string|null $fromDate = null): array
    {
        Interval::checkPeriods($periods, 'history() $periods');
        $o = Owner::of($owner);
        $key = CounterDefinition::normalizeKey($key);
        $date = Clock::date($fromDate, '$fromDate');

        return $this->engine()->history($this->sink(), $o->type, $o->id, $key, $interval->value, $periods, $date);
    }

    /**
     * The exact sum of the periods from the one containing $from to the one containing $to
     * (null: unbounded on that side). rejoose/model-counter compares period starts with the
     * dates themselves, so its sum from March 15 leaves March out; here March is in.
     */
    public function sum(?Model $owner, string|BackedEnum $key, Interval $interval, DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): int
    {
        $o = Owner::of($owner);
        $key = CounterDefinition::normalizeKey($key);
        $from = $from === null ? null : Clock::date($from, '$from');
        $to = $to === null ? null : Clock::date($to, '$to');
        if ($from !== null && $to !== null && $from > $to) {
            throw new InvalidArgumentException("sum() \$from ($from) is after \$to ($to)");
        }

        return $this->engine()->sum($this->sink(), $o->type, $o->id, $key, $interval->value, $from, $to);
    }

    /**
     * Makes the counter (with $interval: the period containing $periodStart, null: the
     * current one) read $value by adding the difference to its exact value as a pending
     * delta. The exact read is correct at every instant of a sync and the delta goes through
     * the same exactly-once path as any increment, so a concurrent sync never undoes or doubles
     * it. Increments by others between the read and the write are kept (the result is $value
     * plus them); two set/reset calls on one counter at the same moment are not serialised.
     * Other periods and the lifetime counter are left as they are.
     */
    public function set(?Model $owner, string|BackedEnum $key, int $value, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): void
    {
        $this->setTo($owner, $key, $value, $interval, $periodStart, false);
    }

    /** set(), dispatching CounterReset ($reset) or CounterSet after it. */
    private function setTo(?Model $owner, string|BackedEnum $key, int $value, ?Interval $interval, DateTimeInterface|string|null $periodStart, bool $reset): void
    {
        [$o, $key] = $this->writable($owner, $key);
        $engine = $this->engine();
        $date = $interval === null ? null : Clock::date($periodStart, '$periodStart');
        $current = $engine->get($this->sink(), $o->type, $o->id, $key, $interval?->value, $date);
        $this->addDifference($owner, $o, $key, self::difference($key, $current, $value), $interval, $date);
        $this->events->dispatch(static function () use ($owner, $key, $value, $interval, $date, $current, $reset): object {
            $start = $interval === null || $date === null ? null : $interval->periodStart(Carbon::createFromFormat('!Y-m-d', $date, 'UTC'))->format('Y-m-d');

            return $reset
                ? new CounterReset($owner, $key, $interval, $start, $current)
                : new CounterSet($owner, $key, $value, $interval, $start, $current);
        });
    }

    /**
     * Recounts the counter from its source: $count() returns what the source says now (an
     * int), and the counter becomes that value plus every increment that reaches Redis after
     * its exact value was read. See recountMany(); returns the source's count.
     *
     * @param Closure(): mixed $count
     */
    public function recount(?Model $owner, string|BackedEnum $key, Closure $count, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): int
    {
        return $this->recountMany($owner, [[$key, $interval, $periodStart, $count]])[0];
    }

    /**
     * Recounts several counters of one owner (keys, lifetime counters, periods) from their
     * sources. For each target in turn the exact value V is read FIRST, then the source S
     * ($count()); once every source has answered (with an int), S - V is added to each as a
     * pending delta, like any increment. An increment that reaches Redis after V was read is
     * kept on top of S, so none is ever lost and the sync's exactly-once path applies to the
     * delta. The one window: an increment whose source change S already saw but which reached
     * Redis only after V was read (a request between its INSERT and its increment while the
     * recount ran) is counted twice. Reading S first would lose such increments instead, and
     * lose those of every request that ran entirely between the two reads. Nothing is written
     * when a source throws or returns a non-int.
     *
     * @param list<array{string|BackedEnum, ?Interval, DateTimeInterface|string|null, Closure(): mixed}> $targets
     *        [key, interval (null: lifetime), any day of the period (null: today), source]
     * @return list<int> the sources' counts, in the order of $targets
     */
    public function recountMany(?Model $owner, array $targets): array
    {
        $engine = $this->engine();
        $sink = $this->sink();
        $writes = [];
        $counts = [];
        foreach ($targets as [$key, $interval, $periodStart, $count]) {
            [$o, $key] = $this->writable($owner, $key);
            $date = $interval === null ? null : Clock::date($periodStart, '$periodStart');
            $current = $engine->get($sink, $o->type, $o->id, $key, $interval?->value, $date);
            $value = $count();
            if (!is_int($value)) {
                throw new InvalidArgumentException(sprintf("the recount of counter '%s' must count an int, got %s", $key, get_debug_type($value)));
            }
            $writes[] = [$o, $key, self::difference($key, $current, $value), $interval, $date];
            $counts[] = $value;
        }
        foreach ($writes as [$o, $key, $delta, $interval, $date]) {
            $this->addDifference($owner, $o, $key, $delta, $interval, $date);
        }

        return $counts;
    }

    /** The delta that takes a counter from $current to $value, or why there is none. */
    public static function difference(string $key, int $current, int $value): int
    {
        $delta = $value - $current;
        if (!is_int($delta)) {
            throw new InvalidArgumentException("cannot set counter '$key' from $current to $value: the difference does not fit in 64 bits");
        }

        return $delta;
    }

    /** Adds $delta (a set or recount) to the counter alone: no declared period follows it. */
    private function addDifference(?Model $owner, Owner $o, string $key, int $delta, ?Interval $interval, ?string $date): void
    {
        if ($delta !== 0) {
            $this->engine()->increment($o->type, $o->id, $key, $delta, $interval === null ? [] : [$interval->value], $date);
            LoadedCounters::forget($owner, $key);
        }
    }

    public function reset(?Model $owner, string|BackedEnum $key, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): void
    {
        $this->setTo($owner, $key, 0, $interval, $periodStart, true);
    }

    /**
     * Sets many counters of many owners as set() sets one (see BulkSet::apply() for the rows);
     * every row is checked first, so bad input writes nothing. A Redis failure part way leaves
     * the owners before it set: running it again is safe (a counter already at its value is
     * not written). Dispatches no events.
     *
     * @param array<array-key,mixed> $rows
     */
    public function bulkSet(array $rows, bool $skipZero = false): int
    {
        return BulkSet::apply($this, $rows, $skipZero);
    }

    /**
     * Deletes the stored rows of the counter, as rejoose/model-counter does: with $interval,
     * every period of that interval; without, every row of the key (lifetime and all
     * periods). Its pending deltas of the same scope are forgotten first. Returns the rows
     * deleted. A sync running at that instant may still write what it had already claimed.
     */
    public function delete(?Model $owner, string|BackedEnum $key, ?Interval $interval = null): int
    {
        $o = Owner::of($owner);
        $key = CounterDefinition::normalizeKey($key);
        $this->engine()->forget($o->type, $o->id, $key, $interval?->value);

        return $this->table()->delete($o, $key, $interval?->value);
    }

    /**
     * Stores $value as the gauge's value for the period containing $periodStart (null: the
     * current one), directly in SQL through Laravel's connection, never through Redis: the
     * last write of a period wins. Refused for a key declared a counter.
     */
    public function snapshot(?Model $owner, string|BackedEnum $key, int $value, Interval $interval, DateTimeInterface|string|null $periodStart = null): void
    {
        $key = CounterDefinition::normalizeKey($key);
        $o = $this->owner($owner, $key);
        if ($this->declarations->isUnique($owner, $key)) {
            throw new InvalidArgumentException("counter '$key' is declared a unique count: write it with addUnique(), not snapshot()");
        }
        if ($this->declarations->isCounter($owner, $key)) {
            throw new InvalidArgumentException("counter '$key' is declared a counter (it adds up): snapshot() writes gauges only; declare it ->gauge() to snapshot it");
        }
        $start = $interval->periodStart(Carbon::createFromFormat('!Y-m-d', Clock::date($periodStart, '$periodStart'), 'UTC'));
        $this->table()->snapshot($o, $key, $interval->value, $start->format('Y-m-d'), $value);
    }

    /** The gauge's stored value with the newest period start (up to the period of $upTo); 0 without one. */
    public function latest(?Model $owner, string|BackedEnum $key, Interval $interval, DateTimeInterface|string|null $upTo = null): int
    {
        $o = Owner::of($owner);
        $key = CounterDefinition::normalizeKey($key);
        $upTo = $upTo === null ? null : Clock::date($upTo, '$upTo');

        return $this->table()->latest($o, $key, $interval->value, $upTo);
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
        return SyncRun::run($this->engine(), $this->sink(), $options + [
            'batch_size' => $this->settings->batchSize,
            'lock_ttl' => $this->settings->lockTtl,
        ], $this->syncInstrumenter ?? ($this->instrumenter === null ? null : ($this->instrumenter)()), $this->events);
    }

    /** Instruments every later sync() of this service with $instrumenter (null: back to the container's / config's). */
    public function instrumentSyncUsing(?SyncInstrumenter $instrumenter): void
    {
        $this->syncInstrumenter = $instrumenter;
    }

    private function table(): CounterTable|FakeDatabase
    {
        return $this->fake?->database ?? $this->table;
    }

    /**
     * The owner of a write, with what only this layer can check: an empty key here too (so
     * bad input throws even when Redis is down and fail-open is on), and text a PostgreSQL
     * table can store — a key it rejects would stop every later sync at its batch.
     */
    private function owner(?Model $model, string $key, ?Owner $o = null): Owner
    {
        $o ??= Owner::of($model);
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
     * The owner and key of an increment, decrement, set or reset: a gauge is refused (its
     * value is written by snapshot(), and a pending delta on top of a snapshot would be
     * added to the next one).
     *
     * $owner: the owner counted under when it is not $model's (bulkSet() rows by type and id;
     * $model then only says which declarations apply).
     *
     * @return array{Owner,string}
     */
    public function writable(?Model $model, string|BackedEnum $key, ?Owner $owner = null): array
    {
        $key = CounterDefinition::normalizeKey($key);
        $o = $this->owner($model, $key, $owner);
        if ($this->declarations->isGauge($model, $key)) {
            throw new InvalidArgumentException("counter '$key' is declared a gauge: write it with snapshot(), not by adding to it (increment, decrement, set, reset)");
        }
        if ($this->declarations->isUnique($model, $key)) {
            throw new InvalidArgumentException("counter '$key' is declared a unique count: add members with addUnique(), not by adding to it (increment, decrement, set, reset)");
        }

        return [$o, $key];
    }

    /**
     * The extension's $periods of an increment: $interval alone when given; else [] (the
     * lifetime counter alone, the call of a release without periods) or '' plus the declared periods.
     *
     * @return list<string>
     */
    private function targets(?Model $owner, string $key, ?Interval $interval): array
    {
        if ($interval !== null) {
            return [$interval->value];
        }
        $declared = $this->declarations->intervals($owner, $key);
        if ($declared === []) {
            return [];
        }

        return ['', ...array_map(static fn (Interval $i): string => $i->value, $declared)];
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
