<?php

// Counters over time through HasCounters and Counter: explicit intervals (the peer's
// semantics), declared periods fed by one atomic increment, exact period reads, history,
// sums, set/reset/delete of periods; a test clock crossing day, ISO week and month
// boundaries with syncs between, on every database; time zones.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\Carbon;
use PHPUnit\Framework\Attributes\DataProviderExternal;
use Tally\Laravel\Counter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Tests\Fixtures\Article;
use Tally\Laravel\Tests\Fixtures\ArticleCounter;
use Tally\Laravel\Tests\Fixtures\CommandCalls;
use Tally\Laravel\Tests\Fixtures\Document;
use Tally\Laravel\Tests\Fixtures\User;
use Tally\OverflowException;

final class PeriodCountersTest extends TestCase
{
    protected function tearDown(): void
    {
        Carbon::setTestNow();
        parent::tearDown();
    }

    private function at(string $utc): void
    {
        Carbon::setTestNow(Carbon::parse($utc, 'UTC'));
    }

    private function sync(): void
    {
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testExplicitIntervalsAcrossDayWeekAndMonthBoundaries(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter + ['timezone' => 'UTC']]);
        $this->migrateWithOwners();
        $user = User::create();
        $u = User::class . "|$user->id|downloads";

        // Tuesday March 31st, 2026, 23:59: day 03-31, ISO week from Monday 03-30, March.
        $this->at('2026-03-31 23:59:00');
        foreach ([Interval::Day, Interval::Week, Interval::Month] as $interval) {
            $user->incrementCounter('downloads', 2, $interval);
        }
        $user->incrementCounter('downloads', 5);        // no interval, none declared: lifetime only
        $this->sync();
        // Wednesday April 1st, 00:01: a new day and month, the same week.
        $this->at('2026-04-01 00:01:00');
        foreach ([Interval::Day, Interval::Week, Interval::Month] as $interval) {
            $user->incrementCounter('downloads', 3, $interval);
        }
        // Monday April 6th: a new week.
        $this->at('2026-04-06 08:00:00');
        $user->incrementCounter('downloads', 4, Interval::Day);
        $user->incrementCounter('downloads', 4, Interval::Week);
        $user->decrementCounter('downloads', 1, Interval::Day);
        Counter::incrementMany($user, ['downloads' => 1, 'uploads' => 2], Interval::Month);
        Counter::decrementMany($user, ['downloads' => 1, 'uploads' => 1], Interval::Month);

        $check = function () use ($user): void {
            $this->assertSame(5, $user->counter('downloads'), 'period increments leave the lifetime counter alone');
            $this->assertSame(['downloads' => 5], $user->allCounters(), 'all() is lifetime counters only');
            $this->assertSame(3, $user->counter('downloads', Interval::Day));
            $this->assertSame(2, $user->counter('downloads', Interval::Day, '2026-03-31'));
            $this->assertSame(3, $user->counter('downloads', Interval::Day, Carbon::parse('2026-04-01 18:00', 'UTC')));
            $this->assertSame(0, $user->counter('downloads', Interval::Day, '2026-04-02'));
            $this->assertSame(4, $user->counter('downloads', Interval::Week));
            $this->assertSame(5, $user->counter('downloads', Interval::Week, '2026-04-05'), 'Sunday April 5th is in the week of March 30th');
            $this->assertSame(3, $user->counter('downloads', Interval::Month));
            $this->assertSame(2, Counter::get($user, 'downloads', Interval::Month, '2026-03-17'));
            $this->assertSame(0, $user->counter('downloads', Interval::Year), 'no year was counted');
            $this->assertSame(['downloads' => 2, 'uploads' => 0, 'none' => 0], $user->counters(['downloads', 'uploads', 'none'], Interval::Day, '2026-03-31'));
            $this->assertSame(['uploads' => 1, 'downloads' => 3], Counter::getMany($user, ['uploads', 'downloads'], Interval::Month));

            $this->assertSame([
                '2026-03-30' => 0, '2026-03-31' => 2, '2026-04-01' => 3, '2026-04-02' => 0,
                '2026-04-03' => 0, '2026-04-04' => 0, '2026-04-05' => 0, '2026-04-06' => 3,
            ], $user->counterHistory('downloads', Interval::Day, 8));
            $this->assertSame(['2026-03-23' => 0, '2026-03-30' => 5, '2026-04-06' => 4], $user->counterHistory('downloads', Interval::Week, 3));
            $this->assertSame(['2026-02-01' => 0, '2026-03-01' => 2, '2026-04-01' => 3], Counter::history($user, 'downloads', Interval::Month, 3, Carbon::parse('2026-04-15')));
            $this->assertSame(['2026-03-01' => 2], $user->counterHistory('downloads', Interval::Month, 1, '2026-03-31'));
            $this->assertSame(['2026-01-01' => 0, '2026-04-01' => 0], $user->counterHistory('downloads', Interval::Quarter, 2), 'no quarter was counted');

            $this->assertSame(8, $user->counterSum('downloads', Interval::Day));
            $this->assertSame(6, $user->counterSum('downloads', Interval::Day, '2026-04-01'));
            $this->assertSame(2, $user->counterSum('downloads', Interval::Day, null, '2026-03-31'));
            $this->assertSame(3, $user->counterSum('downloads', Interval::Day, '2026-04-01', Carbon::parse('2026-04-05')));
            $this->assertSame(5, Counter::sum($user, 'downloads', Interval::Month, '2026-03-15'), 'the month containing $from is in');
            $this->assertSame(9, $user->counterSum('downloads', Interval::Week));
            $this->assertSame(0, $user->counterSum('downloads', Interval::Year));
        };
        $check();                       // part synced, part pending
        $this->sync();
        $check();                       // all synced
        $this->assertSame([], $this->redisKeys());
        $this->assertEqualsCanonicalizing([
            "$u||1970-01-01=5",
            "$u|day|2026-03-31=2",
            "$u|day|2026-04-01=3",
            "$u|day|2026-04-06=3",
            "$u|month|2026-03-01=2",
            "$u|month|2026-04-01=3",
            "$u|week|2026-03-30=5",
            "$u|week|2026-04-06=4",
            User::class . "|$user->id|uploads|month|2026-04-01=1",
        ], $this->counterRows());

        // set/reset of a period: exact read + pending delta; other periods and lifetime untouched.
        $user->setCounter('downloads', 10, Interval::Day, '2026-03-31');
        $user->resetCounter('downloads', Interval::Month);
        Counter::set($user, 'downloads', 7, Interval::Week, Carbon::parse('2026-04-01'));
        $this->assertSame([10, 3, 0, 2, 7, 4, 5], [
            $user->counter('downloads', Interval::Day, '2026-03-31'), $user->counter('downloads', Interval::Day),
            $user->counter('downloads', Interval::Month), $user->counter('downloads', Interval::Month, '2026-03-01'),
            $user->counter('downloads', Interval::Week, '2026-03-30'), $user->counter('downloads', Interval::Week),
            $user->counter('downloads'),
        ]);
        $this->sync();
        $this->assertContains("$u|day|2026-03-31=10", $this->counterRows());
        $this->assertContains("$u|month|2026-04-01=0", $this->counterRows());
        $this->assertContains("$u|week|2026-03-30=7", $this->counterRows());

        // delete of an interval: its rows and its pending deltas, nothing else.
        $user->incrementCounter('downloads', 7, Interval::Day);
        $this->assertSame(3, $user->deleteCounter('downloads', Interval::Day), 'three day rows');
        $this->assertSame(0, $user->counter('downloads', Interval::Day));
        $this->assertSame(['2026-04-05' => 0, '2026-04-06' => 0], $user->counterHistory('downloads', Interval::Day, 2));
        $this->assertSame(11, $user->counterSum('downloads', Interval::Week));
        $this->sync();
        $this->assertSame(0, $user->counter('downloads', Interval::Day), 'the pending day delta was forgotten, not synced');
        // delete without an interval: every row of the key (the peer's semantics), pending too.
        $user->incrementCounter('downloads', 1);
        $user->incrementCounter('downloads', 1, Interval::Week);
        $this->assertSame(5, Counter::delete($user, 'downloads'), 'lifetime, two weeks, two months');
        $this->sync();
        $this->assertSame([0, 0, 0], [$user->counter('downloads'), $user->counter('downloads', Interval::Week), $user->counterSum('downloads', Interval::Month)]);
        $this->assertSame([User::class . "|$user->id|uploads|month|2026-04-01=1"], $this->counterRows());
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testDeclaredPeriodsAreFedByOneIncrement(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter + ['timezone' => 'UTC', 'periods' => ['logins' => ['day', 'month'], 'shares' => ['year']]]]);
        $this->migrateWithOwners();
        $article = Article::create();
        $user = User::create();
        $doc = Document::create();

        $this->at('2026-03-31 22:00:00');
        $article->incrementCounter(ArticleCounter::Views);        // lifetime + day + week + month (its definition)
        $article->incrementCounter('views', 2);
        $article->incrementCounter('downloads', 4);                // lifetime + day
        $article->incrementCounter('shares');                      // its definition wins over config: lifetime only
        $article->incrementCounter('views', 10, Interval::Day);    // an explicit interval: that period only
        $user->incrementCounter('logins');                         // config: lifetime + day + month
        $user->incrementCounter('shares');                         // config: lifetime + year
        $doc->incrementCounter('logins', 3);
        Counter::incrementGlobal('logins', 5);                     // config holds for global counters
        $this->sync();
        $this->at('2026-04-01 01:00:00');
        $article->incrementCounters(['views' => 1, 'downloads' => 1, 'shares' => 1]);
        $article->decrementCounter(ArticleCounter::Views);
        $article->incrementCounter('views', 5, null, '2025-12-31');    // a backfill: lifetime + that day, week, month
        $article->decrementCounters(['downloads' => 2]);

        $a = Article::class . "|$article->id";
        $check = function () use ($article, $user, $doc): void {
            $this->assertSame([8, 13, 0, 3, 3, 0, 5, 5, 5], [
                $article->counter('views'),
                $article->counter('views', Interval::Day, '2026-03-31'), $article->counter('views', Interval::Day),
                $article->counter('views', Interval::Week, '2026-03-31'), $article->counter('views', Interval::Month, '2026-03-31'),
                $article->counter('views', Interval::Month),
                $article->counter('views', Interval::Day, '2025-12-31'), $article->counter('views', Interval::Week, '2025-12-29'),
                $article->counter('views', Interval::Month, '2025-12-01'),
            ]);
            $this->assertSame(['downloads' => 3, 'shares' => 2, 'views' => 8], $article->allCounters());
            $this->assertSame(['2026-03-31' => 4, '2026-04-01' => -1], $article->counterHistory('downloads', Interval::Day, 2));
            $this->assertSame(0, $article->counter('shares', Interval::Year));
            $this->assertSame([1, 1, 1, 1, 1], [
                $user->counter('logins'), $user->counter('logins', Interval::Day, '2026-03-31'), $user->counter('logins', Interval::Month, '2026-03-31'),
                $user->counter('shares'), $user->counter('shares', Interval::Year),
            ]);
            $this->assertSame([3, 3], [$doc->counter('logins'), $doc->counter('logins', Interval::Month, '2026-03-01')]);
            $this->assertSame([5, 5, 5], [Counter::getGlobal('logins'), Counter::getGlobal('logins', Interval::Day, '2026-03-31'), Counter::getGlobal('logins', Interval::Month, '2026-03-31')]);
        };
        $check();
        $this->sync();
        $check();
        $this->assertEqualsCanonicalizing([
            "$a|downloads||1970-01-01=3",
            "$a|downloads|day|2026-03-31=4",
            "$a|downloads|day|2026-04-01=-1",
            "$a|shares||1970-01-01=2",
            "$a|views||1970-01-01=8",
            "$a|views|day|2025-12-31=5",
            "$a|views|day|2026-03-31=13",
            "$a|views|month|2025-12-01=5",
            "$a|views|month|2026-03-01=3",
            "$a|views|week|2025-12-29=5",
            "$a|views|week|2026-03-30=3",
            Document::class . "|$doc->id|logins||1970-01-01=3",
            Document::class . "|$doc->id|logins|day|2026-03-31=3",
            Document::class . "|$doc->id|logins|month|2026-03-01=3",
            User::class . "|$user->id|logins||1970-01-01=1",
            User::class . "|$user->id|logins|day|2026-03-31=1",
            User::class . "|$user->id|logins|month|2026-03-01=1",
            User::class . "|$user->id|shares||1970-01-01=1",
            User::class . "|$user->id|shares|year|2026-01-01=1",
            '||logins||1970-01-01=5',
            '||logins|day|2026-03-31=5',
            '||logins|month|2026-03-01=5',
        ], $this->counterRows(), 'views of April 1st add up to 0: a zero delta writes no row');
    }

    public function testADeclaredIncrementIsOneAtomicScript(): void
    {
        $this->migrateWithOwners();
        $article = Article::create();
        $article->incrementCounter('downloads');   // connects and loads the script
        $calls = CommandCalls::during($this->redis(), fn () => $article->incrementCounter(ArticleCounter::Views, 3));
        $this->assertSame(1, $calls['evalsha'] ?? 0, 'lifetime, day, week and month in one script: ' . json_encode($calls));
        $this->assertSame([3, 3, 3, 3], [
            $article->counter('views'), $article->counter('views', Interval::Day),
            $article->counter('views', Interval::Week), $article->counter('views', Interval::Month),
        ]);

        // All or nothing: the week would overflow, so neither the lifetime counter nor the
        // day nor the month changes.
        $article->incrementCounter('views', PHP_INT_MAX - 3, Interval::Week);
        try {
            $article->incrementCounter('views');
            $this->fail('the overflow was accepted');
        } catch (OverflowException) {
        }
        $this->assertSame([3, 3, PHP_INT_MAX, 3], [
            $article->counter('views'), $article->counter('views', Interval::Day),
            $article->counter('views', Interval::Week), $article->counter('views', Interval::Month),
        ]);
    }

    public function testHistoryOfThirtyDaysIsOneRedisRoundTrip(): void
    {
        $this->migrateWithOwners();
        $user = User::create();
        $this->at('2026-03-31 12:00:00');
        for ($day = 1; $day <= 30; $day += 3) {
            $user->incrementCounter('downloads', $day, Interval::Day, sprintf('2026-03-%02d', $day + 1));
        }
        $history = [];
        $calls = CommandCalls::during($this->redis(), function () use ($user, &$history): void {
            $history = $user->counterHistory('downloads', Interval::Day, 30);
        });
        // One round trip: the MULTI snapshot of the owner's three hashes (a script on a cluster).
        ksort($calls);
        $this->assertSame(['exec' => 1, 'hgetall' => 3, 'multi' => 1], $calls, json_encode($calls));
        $this->assertCount(30, $history);
        $this->assertSame('2026-03-02', array_key_first($history));
        $this->assertSame('2026-03-31', array_key_last($history));
        $this->assertSame([1, 0, 0, 4], array_slice(array_values($history), 0, 4));
        $this->assertSame(array_sum(range(1, 30, 3)), array_sum($history));
    }

    public function testPeriodsAreDaysOfTheCounterTimeZone(): void
    {
        $this->reboot(['app' => ['timezone' => 'UTC'], 'counter' => ['timezone' => 'Europe/Berlin']]);
        $this->migrateWithOwners();
        $user = User::create();
        $article = Article::create();

        // 23:30 UTC on Tuesday March 31st is 01:30 on Wednesday April 1st in Berlin.
        $this->at('2026-03-31 23:30:00');
        $user->incrementCounter('downloads', 1, Interval::Day);
        $user->incrementCounter('downloads', 1, Interval::Month);
        $article->incrementCounter('views');
        $this->assertSame(1, $user->counter('downloads', Interval::Day));
        $this->assertSame(1, $user->counter('downloads', Interval::Day, '2026-04-01'));
        $this->assertSame(0, $user->counter('downloads', Interval::Day, '2026-03-31'));
        $this->assertSame(1, $user->counter('downloads', Interval::Month, '2026-04-01'));
        $this->assertSame(0, $user->counter('downloads', Interval::Month, '2026-03-01'));
        // A date argument names its own calendar date, not converted to Berlin time.
        $this->assertSame(1, $user->counter('downloads', Interval::Day, Carbon::parse('2026-04-01 00:00', 'UTC')));
        $this->assertSame(0, $user->counter('downloads', Interval::Day, Carbon::parse('2026-03-31 23:30', 'UTC')));
        $this->sync();
        $a = Article::class . "|$article->id|views";
        $this->assertEqualsCanonicalizing([
            "$a||1970-01-01=1",
            "$a|day|2026-04-01=1",
            "$a|month|2026-04-01=1",
            "$a|week|2026-03-30=1",
            User::class . "|$user->id|downloads|day|2026-04-01=1",
            User::class . "|$user->id|downloads|month|2026-04-01=1",
        ], $this->counterRows());

        // The same instant with periods in New York: still March 31st.
        $this->reboot(['app' => ['timezone' => 'UTC'], 'counter' => ['timezone' => 'America/New_York']]);
        $this->migrate();
        $user->incrementCounter('downloads', 1, Interval::Day);
        $this->assertSame(['2026-03-31' => 1], $user->counterHistory('downloads', Interval::Day, 1));
    }
}
