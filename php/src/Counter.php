<?php

// The static counter API of the seed package (Rejoose\ModelCounter\Counter), over the extension.

declare(strict_types=1);

namespace Tally\Laravel;

use BackedEnum;
use Closure;
use DateTimeInterface;
use Illuminate\Container\Container;
use Illuminate\Database\Eloquent\Model;
use Tally\Laravel\Contracts\SyncInstrumenter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Testing\FakesCounters;

/**
 * Owners are models (null: a global counter, stored with owner type and id ''), keys strings
 * or backed enums. $interval null is the lifetime counter; a date names the period containing
 * it by its own calendar date (any day of the period), null the current period in
 * counter.timezone. See CounterManager for each method's semantics.
 */
final class Counter
{
    use FakesCounters;   // Counter::fake() and its assertions, for tests

    private function __construct()
    {
    }

    /**
     * Without $interval: the lifetime counter and every period declared for the key, in one
     * atomic call; with: that period only. $at picks the day (backfills, imports).
     */
    public static function increment(?Model $owner, string|BackedEnum $key, int $amount = 1, ?Interval $interval = null, DateTimeInterface|string|null $at = null): void
    {
        self::manager()->increment($owner, $key, $amount, $interval, $at);
    }

    public static function decrement(?Model $owner, string|BackedEnum $key, int $amount = 1, ?Interval $interval = null, DateTimeInterface|string|null $at = null): void
    {
        self::manager()->decrement($owner, $key, $amount, $interval, $at);
    }

    /** @param array<string,int> $counters key => amount */
    public static function incrementMany(?Model $owner, array $counters, ?Interval $interval = null, DateTimeInterface|string|null $at = null): void
    {
        self::manager()->incrementMany($owner, $counters, $interval, $at);
    }

    /** @param array<string,int> $counters key => amount */
    public static function decrementMany(?Model $owner, array $counters, ?Interval $interval = null, DateTimeInterface|string|null $at = null): void
    {
        self::manager()->incrementMany($owner, $counters, $interval, $at, -1);
    }

    /** Exact: SQL + pending + in flight. */
    public static function get(?Model $owner, string|BackedEnum $key, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): int
    {
        return self::manager()->get($owner, $key, $interval, $periodStart);
    }

    /**
     * @param list<string|BackedEnum> $keys
     * @return array<string,int> key => value (0 when none), in the order asked
     */
    public static function getMany(?Model $owner, array $keys, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): array
    {
        return self::manager()->getMany($owner, $keys, $interval, $periodStart);
    }

    /**
     * Exact values of $keys for many models of one type in one Redis round trip and one SQL
     * query (a listing page without N+1); see also $collection->loadCounters().
     *
     * @param iterable<Model> $models
     * @param list<string|BackedEnum> $keys
     * @return array<int|string,array<string,int>> model key => [key => value]
     */
    public static function getForMany(iterable $models, array $keys, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): array
    {
        return self::manager()->getForMany($models, $keys, $interval, $periodStart);
    }

    /**
     * The $limit owners of $model (class or morph alias) with the highest EXACT value of $key
     * (pending deltas included), highest first: model key => value. The query scopes
     * withCounter()/orderByCounter() order by synced values only.
     *
     * @return array<int|string,int>
     */
    public static function top(string $model, string|BackedEnum $key, int $limit = 10, ?Interval $interval = null, DateTimeInterface|string|null $period = null): array
    {
        return self::manager()->top($model, $key, $limit, $interval, $period);
    }

    /**
     * top() as models, in rank order, with the value loaded ($m->counter($key) costs no I/O).
     * Owners whose model no longer exists are left out.
     *
     * @param class-string<Model> $model
     * @return \Illuminate\Database\Eloquent\Collection<int, Model>
     */
    public static function topModels(string $model, string|BackedEnum $key, int $limit = 10, ?Interval $interval = null, DateTimeInterface|string|null $period = null): \Illuminate\Database\Eloquent\Collection
    {
        if (!is_subclass_of($model, Model::class)) {
            throw new \Tally\InvalidArgumentException("topModels() needs an Eloquent model class, got '$model'");
        }
        $top = self::top($model, $key, $limit, $interval, $period);
        $found = $model::query()->whereKey(array_keys($top))->get()->keyBy(fn (Model $m) => (string) $m->getKey());
        $name = CounterDefinition::normalizeKey($key);
        $date = $interval === null ? null : Clock::date($period, '$period');
        $suffix = LoadedCounters::suffix($interval, $date);
        $models = [];
        foreach ($top as $id => $value) {
            $m = $found->get((string) $id);
            if ($m !== null) {
                if (method_exists($m, 'setLoadedCounters')) {
                    $m->setLoadedCounters([$name => $value], $suffix);
                }
                $models[] = $m;
            }
        }

        return $found->make($models);
    }

    /** @return array<string,int> every lifetime counter of the owner, synced or still pending, by key */
    public static function all(?Model $owner): array
    {
        return self::manager()->all($owner);
    }

    /**
     * ['Y-m-d' period start => exact value], oldest first, zeros included; the last entry is
     * the period containing $fromDate (null: now). rejoose/model-counter keys its history by
     * $interval->periodKey() instead.
     *
     * @return array<string,int>
     */
    public static function history(?Model $owner, string|BackedEnum $key, Interval $interval, int $periods = 12, DateTimeInterface|string|null $fromDate = null): array
    {
        return self::manager()->history($owner, $key, $interval, $periods, $fromDate);
    }

    /** The periods from the one containing $from to the one containing $to (null: unbounded), summed. */
    public static function sum(?Model $owner, string|BackedEnum $key, Interval $interval, DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): int
    {
        return self::manager()->sum($owner, $key, $interval, $from, $to);
    }

    public static function reset(?Model $owner, string|BackedEnum $key, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): void
    {
        self::manager()->reset($owner, $key, $interval, $periodStart);
    }

    public static function set(?Model $owner, string|BackedEnum $key, int $value, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): void
    {
        self::manager()->set($owner, $key, $value, $interval, $periodStart);
    }

    /**
     * Sets many counters of many owners to exact values, as set() (increments racing it are
     * kept), every row checked before any is written. Rows: 'owner' => ?Model (or the peer's
     * 'owner_type' + 'owner_id'), 'key', 'value' (or 'count'), optional 'interval' and
     * 'period_start'. Returns the counters set; with $skipZero, rows of value 0 are left out.
     *
     * @param list<array<string,mixed>> $rows
     */
    public static function bulkSet(array $rows, bool $skipZero = false): int
    {
        return self::manager()->bulkSet($rows, $skipZero);
    }

    /**
     * Sets the counter to what $countCallback() counts in the source, keeping the increments
     * that reach Redis after its exact value was read (CounterManager::recountMany() for the
     * one window); returns the source's count.
     *
     * @param Closure(): int $countCallback
     */
    public static function recount(?Model $owner, string|BackedEnum $key, Closure $countCallback, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): int
    {
        return self::manager()->recount($owner, $key, $countCallback, $interval, $periodStart);
    }

    /**
     * recount() of $periods periods, the last containing $fromDate (null: today), from
     * $countCallback($periodStart, $periodEnd); written all or not at all.
     *
     * @param Closure(\Carbon\Carbon, \Carbon\Carbon): int $countCallback
     * @return array<string,int> 'Y-m-d' period start => count, oldest first (as history())
     */
    public static function recountPeriods(?Model $owner, string|BackedEnum $key, Interval $interval, Closure $countCallback, int $periods = 12, DateTimeInterface|string|null $fromDate = null): array
    {
        return Container::getInstance()->make(Recounter::class)->periods($owner, $key, $interval, $countCallback, $periods, $fromDate);
    }

    /** Deletes the rows (and pending deltas) of $interval's periods, or of the whole key; rows deleted. */
    public static function delete(?Model $owner, string|BackedEnum $key, ?Interval $interval = null): int
    {
        return self::manager()->delete($owner, $key, $interval);
    }

    /** A gauge's value for the period containing $periodStart (null: now), written to SQL; the last write wins. */
    public static function snapshot(?Model $owner, string|BackedEnum $key, int $value, Interval $interval, DateTimeInterface|string|null $periodStart = null): void
    {
        self::manager()->snapshot($owner, $key, $value, $interval, $periodStart);
    }

    /** The gauge's newest stored value (up to the period of $upTo); 0 without one. */
    public static function latest(?Model $owner, string|BackedEnum $key, Interval $interval, DateTimeInterface|string|null $upTo = null): int
    {
        return self::manager()->latest($owner, $key, $interval, $upTo);
    }

    public static function incrementGlobal(string|BackedEnum $key, int $amount = 1, ?Interval $interval = null, DateTimeInterface|string|null $at = null): void
    {
        self::manager()->increment(null, $key, $amount, $interval, $at);
    }

    public static function decrementGlobal(string|BackedEnum $key, int $amount = 1, ?Interval $interval = null, DateTimeInterface|string|null $at = null): void
    {
        self::manager()->decrement(null, $key, $amount, $interval, $at);
    }

    public static function getGlobal(string|BackedEnum $key, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): int
    {
        return self::manager()->get(null, $key, $interval, $periodStart);
    }

    /**
     * @param list<string|BackedEnum> $keys
     * @return array<string,int>
     */
    public static function getManyGlobal(array $keys, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): array
    {
        return self::manager()->getMany(null, $keys, $interval, $periodStart);
    }

    public static function setGlobal(string|BackedEnum $key, int $value, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): void
    {
        self::manager()->set(null, $key, $value, $interval, $periodStart);
    }

    public static function resetGlobal(string|BackedEnum $key, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): void
    {
        self::manager()->reset(null, $key, $interval, $periodStart);
    }

    /** @return array<string,int> as history() */
    public static function historyGlobal(string|BackedEnum $key, Interval $interval, int $periods = 12, DateTimeInterface|string|null $fromDate = null): array
    {
        return self::manager()->history(null, $key, $interval, $periods, $fromDate);
    }

    public static function sumGlobal(string|BackedEnum $key, Interval $interval, DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): int
    {
        return self::manager()->sum(null, $key, $interval, $from, $to);
    }

    public static function deleteGlobal(string|BackedEnum $key, ?Interval $interval = null): int
    {
        return self::manager()->delete(null, $key, $interval);
    }

    public static function snapshotGlobal(string|BackedEnum $key, int $value, Interval $interval, DateTimeInterface|string|null $periodStart = null): void
    {
        self::manager()->snapshot(null, $key, $value, $interval, $periodStart);
    }

    public static function latestGlobal(string|BackedEnum $key, Interval $interval, DateTimeInterface|string|null $upTo = null): int
    {
        return self::manager()->latest(null, $key, $interval, $upTo);
    }

    /**
     * Instruments every later sync of this application (counter:sync included) with
     * $instrumenter; null goes back to the one bound in the container or named in
     * counter.sync_instrumenter.
     */
    public static function instrumentSyncUsing(?SyncInstrumenter $instrumenter): void
    {
        self::manager()->instrumentSyncUsing($instrumenter);
    }

    /**
     * Adds distinct members (visitor ids, IP hashes, user ids) to the unique count of $key:
     * with $interval, of that period; else of the periods the key's ->unique() definition
     * declares (none: the day). Estimates (HyperLogLog, about 0.81% standard error).
     *
     * @param string|int|list<string|int> $members
     */
    public static function addUnique(?Model $owner, string|BackedEnum $key, string|int|array $members, ?Interval $interval = null, DateTimeInterface|string|null $at = null): bool
    {
        return self::manager()->uniques()->add($owner, $key, $members, $interval, $at);
    }

    /** The estimate of distinct members in the period containing $periodStart (null: the current one). */
    public static function uniques(?Model $owner, string|BackedEnum $key, Interval $interval = Interval::Day, DateTimeInterface|string|null $periodStart = null): int
    {
        return self::manager()->uniques()->count($owner, $key, $interval, $periodStart);
    }

    /** The estimate of distinct members over the periods from $from's to $to's (null: the current one). */
    public static function uniquesBetween(?Model $owner, string|BackedEnum $key, Interval $interval, DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): int
    {
        return self::manager()->uniques()->between($owner, $key, $interval, $from, $to);
    }

    /** @return array<string,int> period start 'Y-m-d' => estimate, oldest first */
    public static function uniqueHistory(?Model $owner, string|BackedEnum $key, Interval $interval, int $periods = 12, DateTimeInterface|string|null $fromDate = null): array
    {
        return self::manager()->uniques()->history($owner, $key, $interval, $periods, $fromDate);
    }

    /** @param string|int|list<string|int> $members */
    public static function addUniqueGlobal(string|BackedEnum $key, string|int|array $members, ?Interval $interval = null, DateTimeInterface|string|null $at = null): bool
    {
        return self::addUnique(null, $key, $members, $interval, $at);
    }

    public static function uniquesGlobal(string|BackedEnum $key, Interval $interval = Interval::Day, DateTimeInterface|string|null $periodStart = null): int
    {
        return self::uniques(null, $key, $interval, $periodStart);
    }

    public static function uniquesBetweenGlobal(string|BackedEnum $key, Interval $interval, DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): int
    {
        return self::uniquesBetween(null, $key, $interval, $from, $to);
    }

    /** @return array<string,int> */
    public static function uniqueHistoryGlobal(string|BackedEnum $key, Interval $interval, int $periods = 12, DateTimeInterface|string|null $fromDate = null): array
    {
        return self::uniqueHistory(null, $key, $interval, $periods, $fromDate);
    }

    /** Sends the buffered increments now (counter.buffer); how many counters were incremented. */
    public static function flush(): int
    {
        return self::manager()->flush();
    }

    private static function manager(): CounterManager
    {
        return Container::getInstance()->make(CounterManager::class);
    }
}
