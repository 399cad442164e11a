<?php

// Dispatched (counter.events) after set() made a counter read $value (Tally's own event:
// rejoose/model-counter has none for set()). reset() dispatches CounterReset instead.

declare(strict_types=1);

namespace Tally\Laravel\Events;

use Illuminate\Database\Eloquent\Model;
use Tally\Laravel\Enums\Interval;

final class CounterSet
{
    /**
     * @param ?string $periodStart 'Y-m-d', the first day of the period set; null for the lifetime counter
     * @param int $previous the exact value read just before (the delta written is $value - $previous)
     */
    public function __construct(
        public readonly ?Model $owner,
        public readonly string $key,
        public readonly int $value,
        public readonly ?Interval $interval = null,
        public readonly ?string $periodStart = null,
        public readonly int $previous = 0,
    ) {
    }
}
