<?php

// A model that declares its counters (periods, gauges) up front, as in rejoose/model-counter.

declare(strict_types=1);

namespace Tally\Laravel\Contracts;

use Tally\Laravel\CounterDefinition;

interface DefinesCounters
{
    /**
     * Read once per model class by the counter service (not per call): the definitions must
     * not depend on the instance.
     *
     * @return array<array-key,CounterDefinition> a list, or keyed by anything: each names its key
     */
    public function counterDefinitions(): array;
}
