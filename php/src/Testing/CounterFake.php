<?php

// What Counter::fake() returns: the in-memory engine and table the counter service runs on
// instead of Redis and SQL (every rule of CounterManager still applies), the increments and
// decrements it saw, and PHPUnit assertions over them.

declare(strict_types=1);

namespace Tally\Laravel\Testing;

use BackedEnum;
use DateTimeInterface;
use Illuminate\Contracts\Container\Container;
use Illuminate\Database\Eloquent\Model;
use PHPUnit\Framework\Assert;
use Tally\Laravel\CounterDefinition;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Owner;
use Tally\Laravel\Settings;

final class CounterFake
{
    /** Failure messages list at most this many recorded writes. */
    private const LISTED = 50;

    public readonly FakeEngine $engine;
    public readonly FakeDatabase $database;
    /** @var list<RecordedWrite> */
    private array $writes = [];
    private CounterManager $manager;

    private function __construct(Settings $settings)
    {
        $this->engine = new FakeEngine(
            (string) ($settings->redis['prefix'] ?? 'counter:'),
            (int) ($settings->redis['max_key_length'] ?? ini_get('tally.max_key_length') ?: FakeEngine::KEY_COLUMN),
        );
        $this->database = new FakeDatabase();
    }

    /**
     * Swaps a counter service running on a new fake into $app (until the application is
     * rebuilt, as Event::fake() does) and returns the fake. Config is the application's:
     * declared periods, gauges, counter.timezone and fail_open keep their meaning.
     */
    public static function install(Container $app): self
    {
        $fake = new self($app->make(Settings::class));
        $fake->manager = $app->make(CounterManager::class)->withFake($fake);
        $app->instance(CounterManager::class, $fake->manager);

        return $fake;
    }

    /**
     * @internal called by CounterManager for each write that was applied
     * @param 'increment'|'decrement' $op
     * @param array<string,int> $amounts key => amount as the caller gave it
     * @param list<string> $periods the extension's periods argument ([]: the lifetime counter)
     */
    public function record(string $op, Owner $owner, array $amounts, array $periods, ?string $date): void
    {
        foreach ($amounts as $key => $amount) {
            $this->writes[] = new RecordedWrite($op, $owner->type, (string) $owner->id, (string) $key, $amount, $periods === [] ? [''] : $periods, $date);
        }
    }

    /**
     * Every increment and decrement seen, oldest first (for assertions of your own).
     *
     * @return list<RecordedWrite>
     */
    public function recorded(): array
    {
        return $this->writes;
    }

    /**
     * Increments of the counter (owner null: global; $interval null: the lifetime counter,
     * else the period counters they fed, declared or explicit) added up to $amount; with
     * $amount null, there was at least one.
     */
    public function assertIncremented(?Model $owner, string|BackedEnum $key, ?int $amount = null, ?Interval $interval = null): void
    {
        $this->assertAdded('increment', $owner, $key, $amount, $interval);
    }

    /** As assertIncremented(), for decrements (amounts as given: decrement(..., 3) is 3). */
    public function assertDecremented(?Model $owner, string|BackedEnum $key, ?int $amount = null, ?Interval $interval = null): void
    {
        $this->assertAdded('decrement', $owner, $key, $amount, $interval);
    }

    public function assertNotIncremented(?Model $owner, string|BackedEnum $key, ?Interval $interval = null): void
    {
        $this->assertNone('increment', $owner, $key, $interval);
    }

    public function assertNotDecremented(?Model $owner, string|BackedEnum $key, ?Interval $interval = null): void
    {
        $this->assertNone('decrement', $owner, $key, $interval);
    }

    /** No increment of any counter (decrements aside: assertNothingDecremented()). */
    public function assertNothingIncremented(): void
    {
        $this->assertNothing('increment');
    }

    public function assertNothingDecremented(): void
    {
        $this->assertNothing('decrement');
    }

    /**
     * The counter's exact value is $expected, read as Counter::get() reads it: with $interval,
     * the period containing $period (null: the current one in counter.timezone).
     */
    public function assertCounter(?Model $owner, string|BackedEnum $key, int $expected, ?Interval $interval = null, DateTimeInterface|string|null $period = null): void
    {
        $actual = $this->manager->get($owner, $key, $interval, $period);
        Assert::assertSame($expected, $actual, sprintf(
            'Counter %s is %d, not %d.%s',
            $this->name($owner, $key, $interval),
            $actual,
            $expected,
            $this->listing($this->of($owner, $key))
        ));
    }

    private function assertAdded(string $op, ?Model $owner, string|BackedEnum $key, ?int $amount, ?Interval $interval): void
    {
        $writes = $this->matching($op, $owner, $key, $interval);
        $name = $this->name($owner, $key, $interval);
        $listing = $this->listing($this->of($owner, $key) ?: $this->writes);
        if ($amount === null) {
            Assert::assertNotEmpty($writes, "Counter $name was not {$op}ed.$listing");

            return;
        }
        $total = array_sum(array_map(static fn (RecordedWrite $w): int => $w->amount, $writes));
        Assert::assertSame($amount, $total, $writes === []
            ? "Counter $name was not {$op}ed (expected $amount in total).$listing"
            : sprintf('Counter %s was %sed by %d in total (%d call%s), not %d.%s', $name, $op, $total, count($writes), count($writes) === 1 ? '' : 's', $amount, $listing));
    }

    private function assertNone(string $op, ?Model $owner, string|BackedEnum $key, ?Interval $interval): void
    {
        $writes = $this->matching($op, $owner, $key, $interval);
        Assert::assertEmpty($writes, sprintf('Counter %s was %sed %d time%s.%s', $this->name($owner, $key, $interval), $op, count($writes), count($writes) === 1 ? '' : 's', $this->listing($writes)));
    }

    private function assertNothing(string $op): void
    {
        $writes = array_values(array_filter($this->writes, static fn (RecordedWrite $w): bool => $w->op === $op));
        Assert::assertEmpty($writes, sprintf('%d counter %s%s were made.%s', count($writes), $op, count($writes) === 1 ? '' : 's', $this->listing($writes)));
    }

    /** @return list<RecordedWrite> */
    private function matching(string $op, ?Model $owner, string|BackedEnum $key, ?Interval $interval): array
    {
        return array_values(array_filter(
            $this->of($owner, $key),
            static fn (RecordedWrite $w): bool => $w->op === $op && $w->feeds($interval)
        ));
    }

    /** @return list<RecordedWrite> the writes of one counter key of one owner (null: global), any period */
    private function of(?Model $owner, string|BackedEnum $key): array
    {
        $o = Owner::of($owner);
        $key = CounterDefinition::normalizeKey($key);

        return array_values(array_filter($this->writes, static fn (RecordedWrite $w): bool => $w->ownerType === $o->type
            && $w->ownerId === (string) $o->id && $w->key === $key));
    }

    private function name(?Model $owner, string|BackedEnum $key, ?Interval $interval): string
    {
        $o = Owner::of($owner);

        return sprintf(
            "'%s' of %s (%s)",
            CounterDefinition::normalizeKey($key),
            $o->type === '' ? 'global' : "$o->type #$o->id",
            $interval === null ? 'lifetime' : $interval->value
        );
    }

    /** @param list<RecordedWrite> $writes */
    private function listing(array $writes): string
    {
        if ($writes === []) {
            return $this->writes === [] ? ' Nothing was incremented or decremented.' : '';
        }
        $lines = array_map(static fn (RecordedWrite $w): string => '  ' . $w->describe(), array_slice($writes, 0, self::LISTED));
        if (count($writes) > self::LISTED) {
            $lines[] = sprintf('  ... and %d more', count($writes) - self::LISTED);
        }

        return "\nRecorded:\n" . implode("\n", $lines);
    }
}
