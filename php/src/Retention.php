<?php

// How long period counters are kept (counter.retention, checked once) and the one rule that
// turns "N days" into the first period start counter:prune keeps.

declare(strict_types=1);

namespace Tally\Laravel;

use DateTimeInterface;
use Illuminate\Support\Carbon;
use Tally\InvalidArgumentException;
use Tally\Laravel\Enums\Interval;

final class Retention
{
    /** The peer's defaults: 90 days of days, a year of weeks, longer periods forever. */
    public const DEFAULTS = ['day' => 90, 'week' => 365, 'month' => null, 'quarter' => null, 'year' => null];

    /** The longest retention, about 270 years: every cutoff stays a four-digit year. */
    public const DAYS_MAX = 100000;

    /**
     * @param array<string,?int> $days every Interval's value => days kept (null: forever)
     */
    public function __construct(public readonly array $days = self::DEFAULTS)
    {
    }

    /**
     * counter.retention: interval => days (0 to DAYS_MAX) or null; intervals left out keep
     * their default, so ['day' => 30] changes days only.
     *
     * @param array<string,mixed> $counter config('counter')
     */
    public static function fromArray(array $counter): self
    {
        $retention = $counter['retention'] ?? [];
        if (!is_array($retention)) {
            throw new InvalidArgumentException("counter.retention must map intervals to days or null, e.g. ['day' => 90, 'month' => null]");
        }
        $days = self::DEFAULTS;
        foreach ($retention as $interval => $value) {
            $interval = (string) $interval;
            Interval::fromName($interval, 'counter.retention');
            if ($value !== null && self::days($value) === null) {
                throw new InvalidArgumentException(sprintf(
                    'counter.retention.%s must be a whole number of days from 0 to %d, or null to keep %s periods forever; got %s',
                    $interval, self::DAYS_MAX, $interval, var_export($value, true)
                ));
            }
            $days[$interval] = $value === null ? null : self::days($value);
        }

        return new self($days);
    }

    /** A whole number of days from 0 to DAYS_MAX (an int, or a string of digits), else null. */
    public static function days(mixed $value): ?int
    {
        if (is_string($value) && preg_match('/^[0-9]{1,6}$/', $value) === 1) {
            $value = (int) $value;
        }

        return is_int($value) && $value >= 0 && $value <= self::DAYS_MAX ? $value : null;
    }

    /**
     * The first period start ('Y-m-d') kept of $interval when $days days are kept on the civil
     * date of $now (in its own time zone): the start of the $interval period that contains the
     * day $days days before it. A row with an earlier period_start belongs to a period whose
     * last day lies before that day, so it ended at least $days days ago; the period holding
     * that day, and every later one, is kept whole. $days = 0 keeps only the current period.
     */
    public static function firstKept(Interval $interval, int $days, DateTimeInterface $now): string
    {
        // Calendar arithmetic on the date alone: no daylight-saving hour can shift the day.
        return $interval->periodStart(Carbon::parse($now->format('Y-m-d'), 'UTC')->subDays($days))->format('Y-m-d');
    }
}
