<?php

// Counters on an Eloquent model: $user->incrementCounter('downloads'), $user->counter('downloads'),
// $user->counterHistory('downloads', Interval::Day, 30).

declare(strict_types=1);

namespace Tally\Laravel\Traits;

use BackedEnum;
use Closure;
use DateTimeInterface;
use Illuminate\Container\Container;
use Illuminate\Database\Eloquent\Builder;
use Illuminate\Database\Eloquent\Relations\MorphMany;
use Tally\Laravel\Counter;
use Tally\Laravel\CounterDefinition;
use Tally\Laravel\CounterManager;
use Tally\Laravel\CounterQuery;
use Tally\Laravel\Recounter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\LoadedCounters;
use Tally\Laravel\Models\ModelCounter;
use Tally\Laravel\Models\Relations\OwnerCounters;

trait HasCounters
{
    /** @var array<string,int> values loaded by loadCounters(), by LoadedCounters::slot() */
    private array $tallyLoadedCounters = [];

    /**
     * Exact; with $interval, of the period containing $periodStart (null: the current one).
     * After $collection->loadCounters([...]) (or Counter::topModels()), the loaded value,
     * without I/O.
     */
    public function counter(string|BackedEnum $key, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): int
    {
        if ($this->tallyLoadedCounters !== []) {
            $slot = LoadedCounters::slot(CounterDefinition::normalizeKey($key), $interval, $periodStart);
            if (array_key_exists($slot, $this->tallyLoadedCounters)) {
                return $this->tallyLoadedCounters[$slot];
            }
        }

        return Counter::get($this, $key, $interval, $periodStart);
    }

    /**
     * @param list<string|BackedEnum> $keys
     * @return array<string,int>
     */
    public function counters(array $keys, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): array
    {
        return Counter::getMany($this, $keys, $interval, $periodStart);
    }

    /**
     * Loads $keys onto this model (as $collection->loadCounters() does for many).
     *
     * @param list<string|BackedEnum> $keys
     */
    public function loadCounters(array $keys, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): static
    {
        LoadedCounters::load(Container::getInstance()->make(CounterManager::class), [$this], $keys, $interval, $periodStart);

        return $this;
    }

    /**
     * @internal LoadedCounters's: keeps exact values read for a whole collection.
     *
     * @param array<string,int> $values key => value
     * @param string $suffix LoadedCounters::suffix() of their interval and period
     */
    public function setLoadedCounters(array $values, string $suffix): void
    {
        foreach ($values as $key => $value) {
            $this->tallyLoadedCounters[$key . $suffix] = $value;
        }
    }

    /** @internal drops the loaded values of $key (a write through Tally changed it). */
    public function forgetLoadedCounter(string $key): void
    {
        foreach (array_keys($this->tallyLoadedCounters) as $slot) {
            if (str_starts_with((string) $slot, $key . "\0")) {
                unset($this->tallyLoadedCounters[$slot]);
            }
        }
    }

    /** @return array<string,int> the lifetime counters */
    public function allCounters(): array
    {
        return Counter::all($this);
    }

    /** Without $interval: lifetime + every declared period, atomically; with: that period only. */
    public function incrementCounter(string|BackedEnum $key, int $amount = 1, ?Interval $interval = null, DateTimeInterface|string|null $at = null): void
    {
        Counter::increment($this, $key, $amount, $interval, $at);
    }

    public function decrementCounter(string|BackedEnum $key, int $amount = 1, ?Interval $interval = null, DateTimeInterface|string|null $at = null): void
    {
        Counter::decrement($this, $key, $amount, $interval, $at);
    }

    /** @param array<string,int> $counters key => amount */
    public function incrementCounters(array $counters, ?Interval $interval = null, DateTimeInterface|string|null $at = null): void
    {
        Counter::incrementMany($this, $counters, $interval, $at);
    }

    /** @param array<string,int> $counters key => amount */
    public function decrementCounters(array $counters, ?Interval $interval = null, DateTimeInterface|string|null $at = null): void
    {
        Counter::decrementMany($this, $counters, $interval, $at);
    }

    public function resetCounter(string|BackedEnum $key, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): void
    {
        Counter::reset($this, $key, $interval, $periodStart);
    }

    public function setCounter(string|BackedEnum $key, int $value, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): void
    {
        Counter::set($this, $key, $value, $interval, $periodStart);
    }

    /**
     * ['Y-m-d' period start => exact value], oldest first, zeros included, the last being the
     * period containing $fromDate (null: now); rejoose/model-counter keys by periodKey().
     *
     * @return array<string,int>
     */
    public function counterHistory(string|BackedEnum $key, Interval $interval, int $periods = 12, DateTimeInterface|string|null $fromDate = null): array
    {
        return Counter::history($this, $key, $interval, $periods, $fromDate);
    }

    public function counterSum(string|BackedEnum $key, Interval $interval, DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): int
    {
        return Counter::sum($this, $key, $interval, $from, $to);
    }

    /** Deletes the rows (and pending deltas) of $interval's periods, or of the whole key; rows deleted. */
    public function deleteCounter(string|BackedEnum $key, ?Interval $interval = null): int
    {
        return Counter::delete($this, $key, $interval);
    }

    /** @param Closure(): int $countCallback @see Counter::recount() */
    public function recountCounter(string|BackedEnum $key, Closure $countCallback, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): int
    {
        return Counter::recount($this, $key, $countCallback, $interval, $periodStart);
    }

    /**
     * @param Closure(\Carbon\Carbon, \Carbon\Carbon): int $countCallback
     * @return array<string,int> @see Counter::recountPeriods()
     */
    public function recountCounterPeriods(string|BackedEnum $key, Interval $interval, Closure $countCallback, int $periods = 12, DateTimeInterface|string|null $fromDate = null): array
    {
        return Counter::recountPeriods($this, $key, $interval, $countCallback, $periods, $fromDate);
    }

    /**
     * Recounts every counter declared with recountUsing() (AtLeast ones are skipped): the
     * lifetime value and the declared periods from $from to $to (null: the current ones).
     *
     * @return array<string,mixed> @see Recounter::all()
     */
    public function recountAllCounters(DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): array
    {
        return Container::getInstance()->make(Recounter::class)->all($this, $from, $to);
    }

    /**
     * The counter against its recountUsing() source, writing nothing.
     *
     * @return array<string,mixed> key, mode, stored, actual, matches (and periods) @see Recounter::verify()
     */
    public function verifyCounter(string|BackedEnum $key, DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): array
    {
        return Container::getInstance()->make(Recounter::class)->verify($this, $key, $from, $to);
    }

    /** @return array<string,array<string,mixed>> key => verifyCounter() */
    public function verifyAllCounters(DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): array
    {
        return Container::getInstance()->make(Recounter::class)->verifyAll($this, $from, $to);
    }

    /**
     * Adds "<key>_count": the SYNCED value (pending increments are not in it), 0 without a
     * row. For an exact ranking use Counter::top().
     */
    public function scopeWithCounter(Builder $query, string|BackedEnum $key, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): void
    {
        CounterQuery::withCounter($query, $key, $interval, $periodStart);
    }

    /** Orders by the SYNCED value ('desc' or 'asc'); for exact order use Counter::top(). */
    public function scopeOrderByCounter(Builder $query, string|BackedEnum $key, string $direction = 'desc', ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): void
    {
        CounterQuery::orderByCounter($query, $key, $direction, $interval, $periodStart);
    }

    /** @param string|int|list<string|int> $members distinct members (visitor ids, ...) of a unique count */
    public function addUnique(string|BackedEnum $key, string|int|array $members, ?Interval $interval = null, DateTimeInterface|string|null $at = null): bool
    {
        return Counter::addUnique($this, $key, $members, $interval, $at);
    }

    public function uniqueCount(string|BackedEnum $key, Interval $interval = Interval::Day, DateTimeInterface|string|null $periodStart = null): int
    {
        return Counter::uniques($this, $key, $interval, $periodStart);
    }

    public function uniqueCountBetween(string|BackedEnum $key, Interval $interval, DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): int
    {
        return Counter::uniquesBetween($this, $key, $interval, $from, $to);
    }

    /** @return array<string,int> period start 'Y-m-d' => estimate, oldest first */
    public function uniqueHistory(string|BackedEnum $key, Interval $interval, int $periods = 12, DateTimeInterface|string|null $fromDate = null): array
    {
        return Counter::uniqueHistory($this, $key, $interval, $periods, $fromDate);
    }

    /**
     * The synced rows only (pending deltas are in Redis): use counter()/allCounters() for values.
     *
     * @return MorphMany<ModelCounter, $this>
     */
    public function modelCounters(): MorphMany
    {
        $counter = $this->newRelatedInstance(ModelCounter::class);

        return new OwnerCounters(
            $counter->newQuery(),
            $this,
            $counter->qualifyColumn('owner_type'),
            $counter->qualifyColumn('owner_id'),
            $this->getKeyName()
        );
    }
}
