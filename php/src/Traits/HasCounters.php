<?php

// Counters on an Eloquent model: $user->incrementCounter('downloads'), $user->counter('downloads'),
// $user->counterHistory('downloads', Interval::Day, 30).

declare(strict_types=1);

namespace Tally\Laravel\Traits;

use BackedEnum;
use DateTimeInterface;
use Illuminate\Database\Eloquent\Relations\MorphMany;
use Tally\Laravel\Counter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Models\ModelCounter;
use Tally\Laravel\Models\Relations\OwnerCounters;

trait HasCounters
{
    /** Exact; with $interval, of the period containing $periodStart (null: the current one). */
    public function counter(string|BackedEnum $key, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): int
    {
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
