<?php

// Bad input to the period API (issue 15 item 10): typed exceptions naming the problem, and
// nothing written to Redis or SQL.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\Carbon;
use Tally\Laravel\Counter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Tests\Fixtures\Article;
use Tally\Laravel\Tests\Fixtures\AssertsRejections;
use Tally\Laravel\Tests\Fixtures\User;

final class PeriodErrorsTest extends TestCase
{
    use AssertsRejections;

    protected function setUp(): void
    {
        parent::setUp();
        $this->migrateWithOwners();
    }

    public function testBadArgumentsAreRejectedBeforeAnythingIsWritten(): void
    {
        $user = User::create();
        $periods = 'history() $periods must be 1 to 1000 periods';
        $this->assertEachRejected([
            'no periods' => [fn () => $user->counterHistory('views', Interval::Day, 0), "$periods, 0 given"],
            'negative periods' => [fn () => Counter::history($user, 'views', Interval::Day, -3), "$periods, -3 given"],
            'absurd periods' => [fn () => Counter::historyGlobal('views', Interval::Month, 1001), "$periods, 1001 given"],
            'from after to' => [fn () => $user->counterSum('views', Interval::Day, '2026-03-10', Carbon::parse('2026-03-09 23:59')), 'sum() $from (2026-03-10) is after $to (2026-03-09)'],
            'from after to, global' => [fn () => Counter::sumGlobal('views', Interval::Month, '2026-04-01', '2026-03-31'), 'sum() $from (2026-04-01) is after $to (2026-03-31)'],
            'malformed at' => [fn () => $user->incrementCounter('views', 1, Interval::Day, '2026-13-01'), "\$at must be a date 'Y-m-d' or a DateTimeInterface, got '2026-13-01'"],
            'malformed at, lifetime' => [fn () => $user->incrementCounter('views', 1, null, 'now'), "\$at must be a date 'Y-m-d' or a DateTimeInterface, got 'now'"],
            'malformed period start' => [fn () => $user->setCounter('views', 5, Interval::Day, '2026/03/01'), "\$periodStart must be a date 'Y-m-d' or a DateTimeInterface, got '2026/03/01'"],
            'malformed from' => [fn () => $user->counterSum('views', Interval::Day, '1.3.2026'), "\$from must be a date 'Y-m-d' or a DateTimeInterface, got '1.3.2026'"],
            'malformed fromDate' => [fn () => $user->counterHistory('views', Interval::Day, 3, 'today'), "\$fromDate must be a date 'Y-m-d' or a DateTimeInterface, got 'today'"],
            'empty key' => [fn () => Counter::incrementGlobal('', 1, Interval::Day), 'counter key must not be empty'],
            'non-int amount' => [fn () => $user->incrementCounters(['views' => '3']), "the amount of counter 'views' must be an int, got string"],
            'negation overflow' => [fn () => $user->decrementCounters(['views' => PHP_INT_MIN]), "cannot decrement counter 'views' by " . PHP_INT_MIN],
            'key type' => [fn () => $user->counters(['views', 3.5]), 'counter keys must be strings or backed enums, got float at index 1'],
        ]);
        $this->assertSame([], $this->redisKeys());
        $this->assertSame([], $this->counterRows());
    }

    public function testAnUnknownTimeZoneStopsEveryPeriodWriteAndNothingIsWritten(): void
    {
        $this->reboot(['counter' => ['timezone' => 'Europe/Atlantis', 'periods' => ['logins' => ['day']]]]);
        $this->migrateWithOwners();
        $user = User::create();
        $article = Article::create();
        $zone = "counter.timezone 'Europe/Atlantis' is not a time zone PHP knows";
        $this->assertEachRejected([
            'explicit interval' => [fn () => $user->incrementCounter('views', 1, Interval::Day), $zone],
            'configured periods' => [fn () => $user->incrementCounter('logins'), $zone],
            'defined periods' => [fn () => $article->incrementCounter('views'), $zone],
            'many' => [fn () => $article->incrementCounters(['views' => 1, 'shares' => 1]), $zone],
            'set of a period' => [fn () => $user->setCounter('views', 3, Interval::Month), $zone],
            'snapshot' => [fn () => Counter::snapshotGlobal('queue', 3, Interval::Day), $zone],
            'read of a period' => [fn () => $user->counter('views', Interval::Day), $zone],
            'history' => [fn () => $user->counterHistory('views', Interval::Day), $zone],
        ]);
        $this->assertSame([], $this->redisKeys());
        $this->assertSame([], $this->counterRows());

        // The lifetime counter of an undeclared key needs no time zone: it still counts.
        $user->incrementCounter('views', 2);
        $this->assertSame(2, $user->counter('views'));
    }
}
