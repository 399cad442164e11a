<?php

// What a counter key is declared to be for an owner: a counter with periods, a gauge, or
// nothing (a plain counter). A model's own definitions (DefinesCounters) win over config
// (counter.periods, counter.gauges), which holds for every owner and for global counters.

declare(strict_types=1);

namespace Tally\Laravel;

use Illuminate\Database\Eloquent\Model;
use Tally\InvalidArgumentException;
use Tally\Laravel\Contracts\DefinesCounters;
use Tally\Laravel\Enums\Interval;

final class Declarations
{
    /** @var array<class-string,array<string,CounterDefinition>> counterDefinitions() by class, read once */
    private array $byClass = [];

    public function __construct(private readonly PeriodSettings $settings)
    {
    }

    /** @return list<Interval> the periods an increment of $key feeds besides its lifetime counter */
    public function intervals(?Model $owner, string $key): array
    {
        $definition = $this->definition($owner, $key);
        if ($definition !== null) {
            return $definition->isGauge() || $definition->isUnique() ? [] : $definition->intervals();
        }

        return $this->settings->declared[$key] ?? [];
    }

    public function isGauge(?Model $owner, string $key): bool
    {
        $definition = $this->definition($owner, $key);

        return $definition !== null ? $definition->isGauge() : isset($this->settings->gauges[$key]);
    }

    /** Declared a counter (a definition that is no gauge, or counter.periods): no snapshots. */
    public function isCounter(?Model $owner, string $key): bool
    {
        $definition = $this->definition($owner, $key);

        return $definition !== null ? !$definition->isGauge() && !$definition->isUnique() : isset($this->settings->declared[$key]);
    }

    /** Declared ->unique(): written with addUnique() only. */
    public function isUnique(?Model $owner, string $key): bool
    {
        return $this->definition($owner, $key)?->isUnique() ?? false;
    }

    /** @return list<Interval> the periods addUnique() of $key feeds when it names none ([]: the caller's default) */
    public function uniqueIntervals(?Model $owner, string $key): array
    {
        $definition = $this->definition($owner, $key);

        return $definition !== null && $definition->isUnique() ? $definition->intervals() : [];
    }

    private function definition(?Model $owner, string $key): ?CounterDefinition
    {
        return $this->definitions($owner)[$key] ?? null;
    }

    /** @return array<string,CounterDefinition> the owner's counterDefinitions() by key; [] when it declares none */
    public function definitions(?Model $owner): array
    {
        if (!$owner instanceof DefinesCounters) {
            return [];
        }

        return $this->byClass[$owner::class] ??= self::read($owner);
    }

    /** @return array<string,CounterDefinition> */
    private static function read(DefinesCounters $owner): array
    {
        $out = [];
        foreach ($owner->counterDefinitions() as $definition) {
            if (!$definition instanceof CounterDefinition) {
                throw new InvalidArgumentException(sprintf(
                    '%s::counterDefinitions() must return CounterDefinition objects, got %s',
                    $owner::class,
                    get_debug_type($definition)
                ));
            }
            if (isset($out[$definition->key])) {
                throw new InvalidArgumentException(sprintf("%s::counterDefinitions() defines '%s' twice", $owner::class, $definition->key));
            }
            $out[$definition->key] = $definition;
        }

        return $out;
    }
}
