<?php

// One increment or decrement Counter::fake() saw: what the application asked for, after the
// package's own rules (declared periods, key normalisation), before anything was summed.

declare(strict_types=1);

namespace Tally\Laravel\Testing;

use Tally\Laravel\Enums\Interval;

final class RecordedWrite
{
    /**
     * @param 'increment'|'decrement' $op
     * @param string $ownerType '' for a global counter
     * @param int $amount as given (a decrement of 3 is 3)
     * @param list<string> $periods the counters it fed: '' the lifetime counter, 'day', ... the
     *        periods containing $date
     * @param string|null $date the day ('Y-m-d') its periods were chosen from; null for a
     *        lifetime-only write without a date
     */
    public function __construct(
        public readonly string $op,
        public readonly string $ownerType,
        public readonly string $ownerId,
        public readonly string $key,
        public readonly int $amount,
        public readonly array $periods,
        public readonly ?string $date,
    ) {
    }

    /** Whether it added to the counter of $interval (null: the lifetime counter). */
    public function feeds(?Interval $interval): bool
    {
        return in_array($interval === null ? '' : $interval->value, $this->periods, true);
    }

    /** "increment App\Models\Post #1 'views' by 3 (lifetime, day, week of 2026-03-31)" */
    public function describe(): string
    {
        $names = array_map(static fn (string $p): string => $p === '' ? 'lifetime' : $p, $this->periods);

        return sprintf(
            "%s %s '%s' by %d (%s%s)",
            $this->op,
            $this->ownerType === '' ? 'global' : "$this->ownerType #$this->ownerId",
            $this->key,
            $this->amount,
            implode(', ', $names),
            $this->date === null ? '' : " of $this->date"
        );
    }
}
