<?php

// What day it is for counters: "now" in counter.timezone, and the calendar date a date
// argument names. The periods of a call are chosen from these 'Y-m-d' dates.

declare(strict_types=1);

namespace Tally\Laravel;

use DateTimeInterface;
use DateTimeZone;
use Illuminate\Container\Container;
use Illuminate\Support\Carbon;
use Tally\InvalidArgumentException;

final class Clock
{
    private function __construct()
    {
    }

    /**
     * Now (Carbon::setTestNow() included) in counter.timezone; outside a Laravel application
     * with the package, in PHP's default time zone.
     */
    public static function now(): Carbon
    {
        return Carbon::now(self::zone());
    }

    /** @var array{int,string,string}|null the last today(): [second, zone name, 'Y-m-d'] */
    private static ?array $today = null;

    /**
     * Today in counter.timezone, as 'Y-m-d'. The date changes at most once a second: the last
     * answer is kept with the second and zone it was for (not under Carbon::setTestNow()).
     */
    public static function today(): string
    {
        if (Carbon::hasTestNow()) {
            return self::now()->format('Y-m-d');
        }
        $zone = self::zone();
        $second = time();
        $name = $zone->getName();
        if (self::$today !== null && self::$today[0] === $second && self::$today[1] === $name) {
            return self::$today[2];
        }
        $date = Carbon::now($zone)->format('Y-m-d');
        self::$today = [$second, $name, $date];

        return $date;
    }

    /**
     * The calendar date $date names, as 'Y-m-d': a DateTimeInterface's own date in ITS time
     * zone (not converted: Carbon::parse('2026-03-01') is March 1st whatever the zones), a
     * 'Y-m-d' string as is, null today in counter.timezone. Any day of a period names it.
     *
     * @param string $what the argument, for the message of a malformed string
     */
    public static function date(DateTimeInterface|string|null $date, string $what = 'date'): string
    {
        if ($date === null) {
            return self::today();
        }
        if ($date instanceof DateTimeInterface) {
            return $date->format('Y-m-d');
        }
        $parsed = \DateTimeImmutable::createFromFormat('!Y-m-d', $date);
        if ($parsed === false || $parsed->format('Y-m-d') !== $date) {
            throw new InvalidArgumentException(sprintf("%s must be a date 'Y-m-d' or a DateTimeInterface, got '%s'", $what, $date));
        }

        return $date;
    }

    private static function zone(): DateTimeZone
    {
        $app = Container::getInstance();
        if ($app->bound(Settings::class)) {
            return $app->make(Settings::class)->periods->zone();
        }

        return new DateTimeZone(date_default_timezone_get());
    }
}
