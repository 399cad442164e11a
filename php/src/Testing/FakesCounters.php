<?php

// Counter::fake() and the static assertions over it, for Counter (as Event::fake() and
// Event::assertDispatched() are for Laravel's events).

declare(strict_types=1);

namespace Tally\Laravel\Testing;

use BackedEnum;
use DateTimeInterface;
use Illuminate\Container\Container;
use Illuminate\Database\Eloquent\Model;
use PHPUnit\Framework\Assert;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Enums\Interval;

trait FakesCounters
{
    /**
     * Counts in memory from now on, in this application (until it is rebuilt): nothing
     * connects to Redis or opens a database connection for counters. Returns the fake.
     */
    public static function fake(): CounterFake
    {
        return CounterFake::install(Container::getInstance());
    }

    public static function assertIncremented(?Model $owner, string|BackedEnum $key, ?int $amount = null, ?Interval $interval = null): void
    {
        self::faked()->assertIncremented($owner, $key, $amount, $interval);
    }

    public static function assertDecremented(?Model $owner, string|BackedEnum $key, ?int $amount = null, ?Interval $interval = null): void
    {
        self::faked()->assertDecremented($owner, $key, $amount, $interval);
    }

    public static function assertNotIncremented(?Model $owner, string|BackedEnum $key, ?Interval $interval = null): void
    {
        self::faked()->assertNotIncremented($owner, $key, $interval);
    }

    public static function assertNotDecremented(?Model $owner, string|BackedEnum $key, ?Interval $interval = null): void
    {
        self::faked()->assertNotDecremented($owner, $key, $interval);
    }

    public static function assertNothingIncremented(): void
    {
        self::faked()->assertNothingIncremented();
    }

    public static function assertNothingDecremented(): void
    {
        self::faked()->assertNothingDecremented();
    }

    public static function assertCounter(?Model $owner, string|BackedEnum $key, int $expected, ?Interval $interval = null, DateTimeInterface|string|null $period = null): void
    {
        self::faked()->assertCounter($owner, $key, $expected, $interval, $period);
    }

    private static function faked(): CounterFake
    {
        $fake = Container::getInstance()->make(CounterManager::class)->fake();
        Assert::assertNotNull($fake, 'Counters are not faked: call Counter::fake() first, in this application.');

        return $fake;
    }
}
