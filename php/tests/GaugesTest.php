<?php

// Gauges: Counter::snapshot()/latest() and their global variants write and read SQL directly
// (the last write of a period wins, Redis is never touched), on every database; a gauge is
// never added to, and a counter is never snapshotted.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\Carbon;
use PHPUnit\Framework\Attributes\DataProviderExternal;
use Tally\Laravel\Counter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Tests\Fixtures\Article;
use Tally\Laravel\Tests\Fixtures\ArticleCounter;
use Tally\Laravel\Tests\Fixtures\AssertsRejections;
use Tally\Laravel\Tests\Fixtures\User;

final class GaugesTest extends TestCase
{
    use AssertsRejections;

    protected function tearDown(): void
    {
        Carbon::setTestNow();
        parent::tearDown();
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testSnapshotsAreWrittenToSqlAndTheLastWriteOfAPeriodWins(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter + ['gauges' => ['queue_length']]]);
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:00', 'UTC'));
        $article = Article::create();
        $a = Article::class . "|$article->id|followers";

        Counter::snapshot($article, ArticleCounter::Followers, 100, Interval::Day);
        Counter::snapshot($article, 'followers', 120, Interval::Day);               // same day: replaces 100
        Counter::snapshot($article, 'followers', 90, Interval::Day, '2026-03-29');
        Counter::snapshot($article, 'followers', 80, Interval::Month, Carbon::parse('2026-02-14'));   // any day names its month
        Counter::snapshotGlobal('queue_length', 7, Interval::Week);                  // the ISO week of March 31st: March 30th
        Counter::snapshotGlobal('queue_length', 5, Interval::Week, '2026-04-05');    // its Sunday: the same week

        $this->assertSame([
            "$a|day|2026-03-29=90",
            "$a|day|2026-03-31=120",
            "$a|month|2026-02-01=80",
            '||queue_length|week|2026-03-30=5',     // global: owner type and id ''
        ], $this->counterRows());
        $this->assertSame([], $this->redisKeys(), 'gauges never go through Redis');

        $this->assertSame(120, Counter::latest($article, ArticleCounter::Followers, Interval::Day));
        $this->assertSame(90, Counter::latest($article, 'followers', Interval::Day, '2026-03-30'));
        $this->assertSame(90, Counter::latest($article, 'followers', Interval::Day, Carbon::parse('2026-03-29 00:00')));
        $this->assertSame(0, Counter::latest($article, 'followers', Interval::Day, '2026-03-28'));
        $this->assertSame(80, Counter::latest($article, 'followers', Interval::Month));
        $this->assertSame(0, Counter::latest($article, 'followers', Interval::Year));
        $this->assertSame(0, Counter::latest(Article::create(), 'followers', Interval::Day));
        $this->assertSame(5, Counter::latestGlobal('queue_length', Interval::Week));
        $this->assertSame(0, Counter::latestGlobal('followers', Interval::Day), 'the global gauge is not the article\'s');

        // A sync has nothing to move and changes none of them.
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame(120, Counter::latest($article, 'followers', Interval::Day));
        $this->assertCount(4, $this->counterRows());
    }

    public function testExactReadsAndHistorySeeSnapshots(): void
    {
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:00', 'UTC'));
        $article = Article::create();
        Counter::snapshot($article, 'followers', 90, Interval::Day, '2026-03-29');
        Counter::snapshot($article, 'followers', 120, Interval::Day);

        $this->assertSame(120, $article->counter('followers', Interval::Day));
        $this->assertSame(90, $article->counter('followers', Interval::Day, '2026-03-29'));
        $this->assertSame(['2026-03-29' => 90, '2026-03-30' => 0, '2026-03-31' => 120], $article->counterHistory('followers', Interval::Day, 3));
    }

    public function testAGaugeIsNeverAddedToAndACounterNeverSnapshotted(): void
    {
        $this->reboot(['counter' => ['periods' => ['logins' => ['day']], 'gauges' => ['queue_length']]]);
        $this->migrateWithOwners();
        $article = Article::create();
        $user = User::create();
        $gauge = 'is declared a gauge: write it with snapshot(), not by adding to it (increment, decrement, set, reset)';
        $counter = 'is declared a counter (it adds up): snapshot() writes gauges only; declare it ->gauge() to snapshot it';
        $this->assertEachRejected([
            'increment' => [fn () => $article->incrementCounter(ArticleCounter::Followers), "counter 'followers' $gauge"],
            'increment of a period' => [fn () => $article->incrementCounter('followers', 1, Interval::Day), "counter 'followers' $gauge"],
            'decrement' => [fn () => Counter::decrement($article, 'followers'), "counter 'followers' $gauge"],
            'incrementMany' => [fn () => $article->incrementCounters(['views' => 1, 'followers' => 1]), "counter 'followers' $gauge"],
            'set' => [fn () => $article->setCounter('followers', 3, Interval::Day), "counter 'followers' $gauge"],
            'reset' => [fn () => $article->resetCounter('followers'), "counter 'followers' $gauge"],
            'global gauge' => [fn () => Counter::incrementGlobal('queue_length'), "counter 'queue_length' $gauge"],
            'snapshot of a defined counter' => [fn () => Counter::snapshot($article, ArticleCounter::Views, 1, Interval::Day), "counter 'views' $counter"],
            'snapshot of a counter without periods' => [fn () => Counter::snapshot($article, 'shares', 1, Interval::Day), "counter 'shares' $counter"],
            'snapshot of a configured counter' => [fn () => Counter::snapshot($user, 'logins', 1, Interval::Day), "counter 'logins' $counter"],
            'global snapshot of a configured counter' => [fn () => Counter::snapshotGlobal('logins', 1, Interval::Day), "counter 'logins' $counter"],
            'malformed period start' => [fn () => Counter::snapshot($article, 'followers', 1, Interval::Day, '31.03.2026'), "\$periodStart must be a date 'Y-m-d' or a DateTimeInterface, got '31.03.2026'"],
        ]);
        $this->assertSame([], $this->counterRows());
        $this->assertSame([], $this->redisKeys());

        // An undeclared key is whatever it is used as.
        Counter::snapshot($user, 'storage_bytes', 4096, Interval::Month, '2026-03-15');
        $this->assertSame([User::class . "|$user->id|storage_bytes|month|2026-03-01=4096"], $this->counterRows());
    }
}
