<?php

// What CounterIncremented and CounterDecremented carry: one write that added to a counter.

declare(strict_types=1);

namespace Tally\Laravel\Events;

use Illuminate\Database\Eloquent\Model;
use Tally\Laravel\Enums\Interval;

/**
 * rejoose/model-counter's (owner, key, amount, interval), plus what Tally feeds besides: the
 * periods the write added to and the day they were chosen by.
 */
abstract class CounterChanged
{
    /**
     * @param ?Model $owner null: a global counter
     * @param int $amount as given to the call (a decrement by 3 carries 3)
     * @param ?Interval $interval the call's interval: that period only; null: the lifetime
     *        counter and every declared period
     * @param list<Interval> $periods the period counters written besides the lifetime one
     *        ([$interval] with an interval, then the lifetime counter is not written; the
     *        declared periods without; [] for the lifetime counter alone)
     * @param ?string $at 'Y-m-d', the day whose periods were written; null when none was
     */
    public function __construct(
        public readonly ?Model $owner,
        public readonly string $key,
        public readonly int $amount,
        public readonly ?Interval $interval = null,
        public readonly array $periods = [],
        public readonly ?string $at = null,
    ) {
    }
}
