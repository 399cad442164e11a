<?php

// Counters on an Eloquent model: $user->incrementCounter('downloads'), $user->counter('downloads').

declare(strict_types=1);

namespace Tally\Laravel\Traits;

use Illuminate\Database\Eloquent\Relations\MorphMany;
use Tally\Laravel\Counter;
use Tally\Laravel\Models\ModelCounter;
use Tally\Laravel\Models\Relations\OwnerCounters;

trait HasCounters
{
    public function counter(string $key): int
    {
        return Counter::get($this, $key);
    }

    /**
     * @param list<string> $keys
     * @return array<string,int>
     */
    public function counters(array $keys): array
    {
        return Counter::getMany($this, $keys);
    }

    /** @return array<string,int> */
    public function allCounters(): array
    {
        return Counter::all($this);
    }

    public function incrementCounter(string $key, int $amount = 1): void
    {
        Counter::increment($this, $key, $amount);
    }

    public function decrementCounter(string $key, int $amount = 1): void
    {
        Counter::decrement($this, $key, $amount);
    }

    public function resetCounter(string $key): void
    {
        Counter::reset($this, $key);
    }

    public function setCounter(string $key, int $value): void
    {
        Counter::set($this, $key, $value);
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
