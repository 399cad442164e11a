<?php

// Unique counts: addUnique() into HyperLogLogs per period (declared or explicit), estimates
// per period and over ranges, counter:sync storing closed periods' estimates (set, not
// added, apart from counters of the same key) that outlive their HyperLogLog, counter:prune,
// and the refusals between counters, gauges and unique counts; on every database.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\Carbon;
use PHPUnit\Framework\Attributes\DataProviderExternal;
use Tally\InvalidArgumentException;
use Tally\Laravel\Counter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Tests\Fixtures\Page;

final class UniquesTest extends TestCase
{
    protected function tearDown(): void
    {
        Carbon::setTestNow();
        parent::tearDown();
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testUniqueVisitorsPerDayAreEstimatedStoredWhenTheDayClosesAndOutliveTheirHyperLogLog(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter]);
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-03-14 10:00:00', 'UTC'));
        $page = Page::create();
        $p = Page::class . "|$page->id|visitors";

        // Declared periods: day and month, one call.
        $this->assertTrue($page->addUnique('visitors', ['ann', 'bob', 'cy']));
        $this->assertFalse($page->addUnique('visitors', 'ann'), 'a member seen before changes nothing');
        $page->incrementCounter('views', 4);
        Carbon::setTestNow(Carbon::parse('2026-03-15 10:00:00', 'UTC'));
        Counter::addUnique($page, 'visitors', ['bob', 'dan']);
        Counter::addUniqueGlobal('site', [1, 2, 3, 2]);      // no declaration: the day

        $this->assertSame(3, $page->uniqueCount('visitors', Interval::Day, '2026-03-14'));
        $this->assertSame(2, Counter::uniques($page, 'visitors'));
        $this->assertSame(4, Counter::uniques($page, 'visitors', Interval::Month));
        $this->assertSame(4, $page->uniqueCountBetween('visitors', Interval::Day, '2026-03-14', '2026-03-15'), 'bob counts once');
        $this->assertSame(['2026-03-13' => 0, '2026-03-14' => 3, '2026-03-15' => 2], $page->uniqueHistory('visitors', Interval::Day, 3));
        $this->assertSame(3, Counter::uniquesGlobal('site'));

        // The sync stores the closed day (the 14th), not today's nor this month's.
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('Stored the estimates of 1 closed unique count period(s).', $out);
        $this->assertSame([
            Page::class . "|$page->id|views|day|2026-03-14=4",
            Page::class . "|$page->id|views||1970-01-01=4",
            "$p|ud|2026-03-14=3",
        ], $this->counterRows());

        // Storing again is harmless (set, not added); a late member during the grace updates it.
        Counter::addUnique($page, 'visitors', 'eve', Interval::Day, '2026-03-14');
        $this->assertSame(0, $this->artisan('counter:sync')[0]);
        $this->assertSame(0, $this->artisan('counter:sync')[0]);
        $this->assertContains("$p|ud|2026-03-14=4", $this->counterRows());

        // The HyperLogLog expires (here: deleted): the stored estimate answers, and a range
        // reaching it adds it to the union of the live ones.
        $this->redis()->del($this->tallyPrefix() . '{' . str_replace('\\', '%5C', Page::class) . ":$page->id}:u:day:2026-03-14:visitors");
        $this->assertSame(4, Counter::uniques($page, 'visitors', Interval::Day, '2026-03-14'));
        $this->assertSame(6, Counter::uniquesBetween($page, 'visitors', Interval::Day, '2026-03-13', '2026-03-15'), '4 stored + 2 live: an upper bound of the union');
        $this->assertSame(4, Counter::uniques($page, 'visitors', Interval::Month), 'the month is still live (eve went to the day only)');

        // At the end of the month its estimate is stored too.
        Carbon::setTestNow(Carbon::parse('2026-04-01 08:00:00', 'UTC'));
        $this->assertSame(0, $this->artisan('counter:sync')[0]);
        $rows = $this->counterRows();
        $this->assertContains("$p|um|2026-03-01=4", $rows);
        $this->assertContains("$p|ud|2026-03-15=2", $rows);
        $this->assertContains('||site|ud|2026-03-15=3', $rows);
        $this->assertSame(0, $page->counter('visitors', Interval::Day, '2026-03-14'), 'a unique row is no counter of the key');
    }

    public function testTenThousandMembersAreWithinTheDocumentedError(): void
    {
        $this->migrateWithOwners();
        $page = Page::create();
        $members = array_map(static fn (int $i): string => "visitor-$i", range(1, 10000));
        foreach (array_chunk($members, 2500) as $chunk) {
            $page->addUnique('readers', $chunk, null, '2026-03-14');
        }
        $n = $page->uniqueCount('readers', Interval::Day, '2026-03-14');
        $this->assertGreaterThanOrEqual(9750, $n);
        $this->assertLessThanOrEqual(10250, $n);
    }

    public function testCountersGaugesAndUniqueCountsRefuseEachOthersWrites(): void
    {
        $this->migrateWithOwners();
        $page = Page::create();
        $cases = [
            [fn () => $page->incrementCounter('visitors'), "counter 'visitors' is declared a unique count: add members with addUnique(), not by adding to it (increment, decrement, set, reset)"],
            [fn () => $page->setCounter('visitors', 3), "counter 'visitors' is declared a unique count"],
            [fn () => Counter::snapshot($page, 'visitors', 3, Interval::Day), "counter 'visitors' is declared a unique count: write it with addUnique(), not snapshot()"],
            [fn () => $page->addUnique('views', 'a'), "counter 'views' is declared a counter: addUnique() writes unique counts only"],
            [fn () => $page->addUnique('followers', 'a'), "counter 'followers' is declared a gauge: addUnique() writes unique counts only"],
            [fn () => $page->addUnique('visitors', []), 'members must list 1 to 1000000 members, 0 given'],
            [fn () => $page->addUnique('visitors', 'a', null, '2026-02-30'), "\$at must be a date 'Y-m-d'"],
            [fn () => $page->uniqueCountBetween('visitors', Interval::Day, '2026-03-15', '2026-03-14'), 'uniquesBetween() $from (2026-03-15) is after $to (2026-03-14)'],
            [fn () => $page->uniqueCountBetween('visitors', Interval::Day, '2020-01-01', '2026-03-14'), 'a range of unique counts spans at most 1000'],
            [fn () => $page->uniqueHistory('visitors', Interval::Day, 0), 'uniqueHistory() $periods must be 1 to 1000 periods'],
            [fn () => Interval::fromName('hour'), "unknown interval 'hour'"],
        ];
        foreach ($cases as [$call, $message]) {
            try {
                $call();
                $this->fail("no exception; expected: $message");
            } catch (InvalidArgumentException $e) {
                $this->assertStringContainsString($message, $e->getMessage());
            }
        }
        $this->assertSame([], $this->redisKeys(), 'nothing was written');
    }

    public function testPruneRemovesStoredEstimatesByTheirIntervalsRetention(): void
    {
        $this->reboot(['counter' => ['retention' => ['day' => 10, 'month' => null]]]);
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-01-20 10:00:00', 'UTC'));
        $page = Page::create();
        $page->addUnique('visitors', 'a', null, '2026-01-01');
        $page->addUnique('visitors', 'b', null, '2026-01-15');
        $page->addUnique('visitors', 'b', Interval::Month, '2025-12-10');
        $this->assertSame(0, $this->artisan('counter:sync')[0]);
        $p = Page::class . "|$page->id|visitors";
        $this->assertSame(["$p|ud|2026-01-01=1", "$p|ud|2026-01-15=1", "$p|um|2025-12-01=1"], $this->counterRows());

        [$code, $out] = $this->artisan('counter:prune');
        $this->assertSame(0, $code, $out);
        $this->assertSame(["$p|ud|2026-01-15=1", "$p|um|2025-12-01=1"], $this->counterRows());
    }

    public function testTheGraceOfCounterUniqueGraceSetsTheExpiryAndABadOneIsRefused(): void
    {
        $this->reboot(['counter' => ['unique_grace' => 3600]]);
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-03-14 10:00:00', 'UTC'));
        Counter::addUniqueGlobal('site', 'a');
        $ttl = $this->redis()->ttl($this->tallyPrefix() . '{:}:u:day:2026-03-14:site');
        $this->assertGreaterThan(86400 + 3600 - 60, $ttl);
        $this->assertLessThanOrEqual(86400 + 3600, $ttl, 'the day ends tomorrow, plus the grace');

        try {
            $config = clone $this->app->make('config');
            $config->set('counter.unique_grace', -1);
            \Tally\Laravel\Settings::fromConfig($config);
            $this->fail('no exception');
        } catch (InvalidArgumentException $e) {
            $this->assertSame('counter.unique_grace must be a whole number of seconds from 0 to 31622400 (a year), got -1', $e->getMessage());
        }
    }
}
