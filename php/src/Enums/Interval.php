<?php

// The periods a counter can be kept for, as rejoose/model-counter's Interval: the values are
// the SQL `period` column's and the extension's period names; the calendar math is here.

declare(strict_types=1);

namespace Tally\Laravel\Enums;

use Carbon\Carbon;
use Illuminate\Support\Carbon as IlluminateCarbon;
use DateTimeInterface;
use Tally\InvalidArgumentException;
use Tally\Laravel\Clock;

enum Interval: string
{
    case Day = 'day';
    case Week = 'week';
    case Month = 'month';
    case Quarter = 'quarter';
    case Year = 'year';

    /** The most periods one history() returns (the extension's limit too). */
    public const MAX_PERIODS = 1000;

    /** The interval of a name ('day', ..., 'year'), or a Tally\InvalidArgumentException naming it. */
    public static function fromName(string $name, string $where = 'interval'): self
    {
        return self::tryFrom($name) ?? throw new InvalidArgumentException(sprintf(
            "%s: unknown interval '%s' (day, week, month, quarter or year)",
            $where,
            $name
        ));
    }

    public function label(): string
    {
        return match ($this) {
            self::Day => 'Daily',
            self::Week => 'Weekly',
            self::Month => 'Monthly',
            self::Quarter => 'Quarterly',
            self::Year => 'Yearly',
        };
    }

    /**
     * The first instant of the period containing $date (null: now in counter.timezone), in
     * $date's time zone. Weeks are ISO weeks: they start on Monday whatever Carbon's locale says.
     */
    public function periodStart(?DateTimeInterface $date = null): Carbon
    {
        $date = self::carbon($date);

        return match ($this) {
            self::Day => $date->startOfDay(),
            self::Week => $date->startOfWeek(Carbon::MONDAY),
            self::Month => $date->startOfMonth(),
            self::Quarter => $date->startOfQuarter(),
            self::Year => $date->startOfYear(),
        };
    }

    /** The last instant (…23:59:59.999999) of the period containing $date (null: now). */
    public function periodEnd(?DateTimeInterface $date = null): Carbon
    {
        $date = self::carbon($date);

        return match ($this) {
            self::Day => $date->endOfDay(),
            self::Week => $date->endOfWeek(Carbon::SUNDAY),
            self::Month => $date->endOfMonth(),
            self::Quarter => $date->endOfQuarter(),
            self::Year => $date->endOfYear(),
        };
    }

    /**
     * The period's name as rejoose/model-counter writes it (its Redis keys and history keys):
     * 'Y-m-d', ISO 'o-W', 'Y-m', 'Y-Qn', 'Y'. Tally's history() is keyed by period start
     * ('Y-m-d') instead; this maps one onto the other.
     */
    public function periodKey(?DateTimeInterface $date = null): string
    {
        $date = self::carbon($date);

        return match ($this) {
            self::Day => $date->format('Y-m-d'),
            self::Week => $date->format('o-W'),
            self::Month => $date->format('Y-m'),
            self::Quarter => $date->format('Y') . '-Q' . $date->quarter,
            self::Year => $date->format('Y'),
        };
    }

    /**
     * The starts of $count periods, newest first: the period containing $fromDate (null: now
     * in counter.timezone) and the $count - 1 before it, as rejoose/model-counter returns them.
     * Each is computed from the first period's start, so a month walk from the 31st skips none.
     *
     * @return list<Carbon>
     */
    public function previousPeriods(int $count, ?DateTimeInterface $fromDate = null): array
    {
        self::checkPeriods($count, 'previousPeriods() $count');
        $first = $this->periodStart($fromDate);
        $periods = [];
        for ($i = 0; $i < $count; $i++) {
            $periods[] = match ($this) {
                self::Day => $first->copy()->subDays($i),
                self::Week => $first->copy()->subWeeks($i),
                self::Month => $first->copy()->subMonthsNoOverflow($i),
                self::Quarter => $first->copy()->subMonthsNoOverflow(3 * $i),
                self::Year => $first->copy()->subYearsNoOverflow($i),
            };
        }

        return $periods;
    }

    /** A number of periods to read must be 1 to MAX_PERIODS: else a Tally\InvalidArgumentException naming $what. */
    public static function checkPeriods(int $count, string $what): void
    {
        if ($count < 1 || $count > self::MAX_PERIODS) {
            throw new InvalidArgumentException(sprintf('%s must be 1 to %d periods, %d given', $what, self::MAX_PERIODS, $count));
        }
    }

    /** A copy of $date as a mutable Carbon in its own zone, or now in counter.timezone. */
    private static function carbon(?DateTimeInterface $date): Carbon
    {
        return $date === null ? Clock::now() : IlluminateCarbon::instance($date)->copy();
    }
}
