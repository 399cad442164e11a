<?php

// Settings of counters over time, from the config array Settings::fromConfig() reads: the
// time zone periods are counted in, and the periods and gauges declared for every owner.

declare(strict_types=1);

namespace Tally\Laravel;

use BackedEnum;
use DateTimeZone;
use Tally\InvalidArgumentException;
use Tally\Laravel\Enums\Interval;

final class PeriodSettings
{
    private ?DateTimeZone $zone = null;

    /**
     * @param string $timezone counter.timezone (default: app.timezone), checked when first used
     * @param array<string,list<Interval>> $declared counter.periods: key => the periods one
     *        increment of it also feeds, for every owner and for global counters
     * @param array<string,true> $gauges counter.gauges: keys that are snapshots, not sums
     */
    public function __construct(
        public readonly string $timezone = 'UTC',
        public readonly array $declared = [],
        public readonly array $gauges = [],
    ) {
    }

    /** @param array<string,mixed> $counter config('counter') */
    public static function fromArray(array $counter, mixed $appTimezone): self
    {
        $timezone = $counter['timezone'] ?? null;
        if ($timezone === null || $timezone === '') {
            $timezone = $appTimezone ?? null;
        }
        if ($timezone === null || $timezone === '') {
            $timezone = date_default_timezone_get();
        }
        if (!is_string($timezone)) {
            throw new InvalidArgumentException('counter.timezone must be a time zone name such as Europe/Berlin, got ' . get_debug_type($timezone));
        }

        $periods = $counter['periods'] ?? [];
        if (!is_array($periods)) {
            throw new InvalidArgumentException('counter.periods must map counter keys to lists of intervals (day, week, month, quarter, year)');
        }
        $declared = [];
        foreach ($periods as $key => $intervals) {
            $key = (string) $key;
            if ($key === '') {
                throw new InvalidArgumentException('counter.periods: a counter key must not be empty');
            }
            if (!is_array($intervals) || !array_is_list($intervals)) {
                throw new InvalidArgumentException("counter.periods.$key must be a list of intervals (day, week, month, quarter, year)");
            }
            $declared[$key] = [];
            foreach ($intervals as $interval) {
                if (!$interval instanceof Interval) {
                    $name = $interval instanceof BackedEnum ? $interval->value : $interval;
                    if (!is_string($name)) {
                        throw new InvalidArgumentException("counter.periods.$key lists a " . get_debug_type($interval) . ', not an interval name');
                    }
                    $interval = Interval::fromName($name, "counter.periods.$key");
                }
                if (!in_array($interval, $declared[$key], true)) {
                    $declared[$key][] = $interval;
                }
            }
        }

        $list = $counter['gauges'] ?? [];
        if (!is_array($list) || !array_is_list($list)) {
            throw new InvalidArgumentException('counter.gauges must be a list of counter keys');
        }
        $gauges = [];
        foreach ($list as $key) {
            $key = $key instanceof BackedEnum ? (string) $key->value : $key;
            if (!is_string($key) || $key === '') {
                throw new InvalidArgumentException('counter.gauges must be a list of non-empty counter keys');
            }
            if (isset($declared[$key])) {
                throw new InvalidArgumentException("counter key '$key' is in counter.periods (a counter) and in counter.gauges: it can be one of them only");
            }
            $gauges[$key] = true;
        }

        return new self($timezone, $declared, $gauges);
    }

    /** The time zone of periods and "now": a Tally\InvalidArgumentException when PHP has no such zone. */
    public function zone(): DateTimeZone
    {
        if ($this->zone !== null) {
            return $this->zone;
        }
        try {
            return $this->zone = new DateTimeZone($this->timezone);
        } catch (\Exception $e) {
            throw new InvalidArgumentException(sprintf(
                "counter.timezone '%s' is not a time zone PHP knows (a name from timezone_identifiers_list(), such as Europe/Berlin)",
                $this->timezone
            ), 0, $e);
        }
    }
}
