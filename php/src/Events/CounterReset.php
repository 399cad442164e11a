<?php

// Dispatched (counter.events) after reset() made a counter read 0.

declare(strict_types=1);

namespace Tally\Laravel\Events;

use Illuminate\Database\Eloquent\Model;
use Tally\Laravel\Enums\Interval;

/** rejoose/model-counter's (owner, key, interval, periodStart), plus the value it had. */
final class CounterReset
{
    /**
     * @param ?string $periodStart 'Y-m-d', the first day of the period reset; null for the lifetime counter
     * @param int $previous the exact value read just before the reset
     */
    public function __construct(
        public readonly ?Model $owner,
        public readonly string $key,
        public readonly ?Interval $interval = null,
        public readonly ?string $periodStart = null,
        public readonly int $previous = 0,
    ) {
    }
}
