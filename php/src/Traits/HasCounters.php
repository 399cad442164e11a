<?php

// Counters on an Eloquent model: $user->incrementCounter('downloads'), $user->counter('downloads'),
// $user->counterHistory('downloads', Interval::Day, 30).

declare(strict_types=1);

namespace Tally\Laravel\Traits;

use BackedEnum;
use DateTimeInterface;
use Illuminate\Container\Container;
use Illuminate\Database\Eloquent\Relations\MorphMany;
use Tally\Laravel\Counter;
use Tally\Laravel\CounterDefinition;
use Tally\Laravel\CounterManager;
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
     */
    public function setLoadedCounters(array $values, ?Interval $interval, ?string $periodStart): void
    {
        foreach ($values as $key => $value) {
            $this->tallyLoadedCounters[LoadedCounters::slot((string) $key, $interval, $periodStart)] = $value;
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
