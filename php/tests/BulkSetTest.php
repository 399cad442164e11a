<?php

// Counter::bulkSet(): many owners' counters set to exact values as set() sets one (pending
// and synced values both taken into account, increments racing it kept), rows by model or by
// the peer's owner_type/owner_id, periods by any day of them, the last row of a counter
// winning, skipZero; every row checked before anything is written; on every database.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Database\Eloquent\Relations\Relation;
use Illuminate\Support\Carbon;
use PHPUnit\Framework\Attributes\DataProviderExternal;
use Tally\Laravel\Counter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Tests\Fixtures\Article;
use Tally\Laravel\Tests\Fixtures\ArticleCounter;
use Tally\Laravel\Tests\Fixtures\AssertsRejections;
use Tally\Laravel\Tests\Fixtures\Document;
use Tally\Laravel\Tests\Fixtures\User;

final class BulkSetTest extends TestCase
{
    use AssertsRejections;

    protected function tearDown(): void
    {
        Carbon::setTestNow();
        parent::tearDown();
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testRowsOfManyOwnersBecomeTheirValues(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter]);
        $this->migrateWithOwners();
        Relation::morphMap(['user' => User::class, 'document' => Document::class]);
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:00', 'UTC'));
        $alice = User::create();
        $bob = User::create();
        $doc = Document::create();
        $alice->incrementCounter('credits', 40);
        $this->artisan('counter:sync');                        // 40 in SQL ...
        $alice->incrementCounter('credits', 2);                // ... and 2 pending
        Counter::increment($bob, 'views', 9, Interval::Month, '2026-02-03');

        $written = Counter::bulkSet([
            ['owner' => $alice, 'key' => 'credits', 'value' => 10],
            ['owner' => $alice, 'key' => ArticleCounter::Views, 'value' => 3],
            ['owner_type' => 'user', 'owner_id' => $bob->id, 'key' => 'views', 'count' => 100, 'interval' => Interval::Month, 'period_start' => '2026-02-20'],
            ['owner_type' => 'document', 'owner_id' => $doc->id, 'key' => 'pages', 'value' => 12, 'interval' => 'day'],
            ['owner' => null, 'key' => 'users', 'value' => 2],
            ['owner_type' => null, 'owner_id' => null, 'key' => 'stock', 'value' => -5, 'interval' => 'year', 'period_start' => Carbon::parse('2025-07-01')],
        ]);

        $this->assertSame(6, $written);
        $this->assertSame(10, $alice->counter('credits'));
        $this->assertSame(3, $alice->counter('views'));
        $this->assertSame(100, $bob->counter('views', Interval::Month, '2026-02-01'));
        $this->assertSame(0, $bob->counter('views'), 'the lifetime counter is not the month');
        $this->assertSame(12, Counter::get($doc, 'pages', Interval::Day));
        $this->assertSame(2, Counter::getGlobal('users'));
        $this->assertSame(-5, Counter::getGlobal('stock', Interval::Year, '2025-01-01'));

        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame([
            "document|$doc->id|pages|day|2026-03-31=12",
            "user|$alice->id|credits||1970-01-01=10",
            "user|$alice->id|views||1970-01-01=3",
            "user|$bob->id|views|month|2026-02-01=100",
            '||stock|year|2025-01-01=-5',
            '||users||1970-01-01=2',
        ], $this->counterRows());

        // Set again: already there, nothing to write; still counted as set.
        $this->assertSame(1, Counter::bulkSet([['owner' => $alice, 'key' => 'credits', 'value' => 10]]));
        $this->assertSame([], $this->redisKeys());
    }

    public function testTheLastRowOfACounterWinsAndSkipZeroLeavesZeroRowsOut(): void
    {
        $this->migrateWithOwners();
        $user = User::create();
        $user->incrementCounters(['a' => 5, 'b' => 5, 'c' => 5]);

        $this->assertSame(3, Counter::bulkSet([
            ['owner' => $user, 'key' => 'a', 'value' => 1],
            ['owner' => $user, 'key' => 'b', 'value' => 0],
            ['owner' => $user, 'key' => 'a', 'value' => 7],                                    // the same counter: wins
            ['owner' => $user, 'key' => 'c', 'value' => 0, 'interval' => 'day', 'period_start' => null],
        ]));
        $this->assertSame(['a' => 7, 'b' => 0, 'c' => 5], $user->counters(['a', 'b', 'c']), "c's day was set, not its lifetime counter");

        $user->incrementCounter('b', 4);
        $this->assertSame(1, Counter::bulkSet([
            ['owner' => $user, 'key' => 'a', 'value' => 8],
            ['owner' => $user, 'key' => 'b', 'value' => 0],     // skipped: stays 4
        ], true));
        $this->assertSame(['a' => 8, 'b' => 4], $user->counters(['a', 'b']));
        $this->assertSame(0, Counter::bulkSet([]));
        $this->assertSame(0, Counter::bulkSet([['owner' => $user, 'key' => 'a', 'value' => 0]], true));
        $this->assertSame(8, $user->counter('a'));
    }

    public function testAValueSetIsADeltaThatLaterIncrementsAddToAndTheSyncMovesOnce(): void
    {
        $this->migrateWithOwners();
        $user = User::create();
        $user->incrementCounter('a', 5);
        $this->app->make(\Tally\Laravel\CounterManager::class)->sync();
        Counter::bulkSet([['owner' => $user, 'key' => 'a', 'value' => 2]]);
        $this->assertSame(-3, $this->app->make(\Tally\Laravel\CounterManager::class)->engine()->pending(User::class, $user->id, 'a'));
        $user->incrementCounter('a', 3);
        $this->assertSame(5, $user->counter('a'));
        $this->app->make(\Tally\Laravel\CounterManager::class)->sync();
        $this->assertSame([User::class . "|$user->id|a" => 5], $this->syncedRows());
    }

    public function testEveryRowIsCheckedBeforeAnyIsWritten(): void
    {
        $this->migrateWithOwners();
        $user = User::create();
        $article = Article::create();
        $good = ['owner' => $user, 'key' => 'a', 'value' => 1];
        $user->incrementCounter('big', PHP_INT_MIN + 1);
        $cases = [
            'not an array' => [[$good, 'a'], 'bulkSet() row 1 must be an array, got string'],
            'unknown field' => [[$good, ['owner' => $user, 'key' => 'a', 'value' => 1, 'amount' => 2]], "bulkSet() row 1: unknown field 'amount'"],
            'no key' => [[$good, ['owner' => $user, 'value' => 1]], 'bulkSet() row 1: key must be a string or a backed enum, got null'],
            'empty key' => [[$good, ['owner' => $user, 'key' => '', 'value' => 1]], 'counter key must not be empty'],
            'no value' => [[$good, ['owner' => $user, 'key' => 'a']], "bulkSet() row 1: give the counter's value as 'value' (or 'count'), once"],
            'both values' => [[$good, ['owner' => $user, 'key' => 'a', 'value' => 1, 'count' => 1]], "as 'value' (or 'count'), once"],
            'value not int' => [[$good, ['owner' => $user, 'key' => 'a', 'value' => '3']], "bulkSet() row 1: the value of counter 'a' must be an int, got string"],
            'owner not a model' => [[$good, ['owner' => 'user', 'key' => 'a', 'value' => 1]], 'bulkSet() row 1: owner must be a model or null, got string'],
            'owner twice' => [[$good, ['owner' => $user, 'owner_type' => 'x', 'key' => 'a', 'value' => 1]], "as 'owner' or as 'owner_type' and 'owner_id', not both"],
            'type without id' => [[$good, ['owner_type' => 'user', 'key' => 'a', 'value' => 1]], 'owner_type must be a non-empty string and owner_id an int or a non-empty string (both null: a global counter), got string and null'],
            'unsaved model' => [[$good, ['owner' => new User(), 'key' => 'a', 'value' => 1]], 'without a primary key value'],
            'bad interval' => [[$good, ['owner' => $user, 'key' => 'a', 'value' => 1, 'interval' => 'hour']], "bulkSet() row 1: unknown interval 'hour'"],
            'interval type' => [[$good, ['owner' => $user, 'key' => 'a', 'value' => 1, 'interval' => 3]], 'bulkSet() row 1: interval must be a'],
            'bad date' => [[$good, ['owner' => $user, 'key' => 'a', 'value' => 1, 'interval' => 'day', 'period_start' => '31/03/2026']], "bulkSet() row 1 period_start must be a date 'Y-m-d'"],
            'date without interval' => [[$good, ['owner' => $user, 'key' => 'a', 'value' => 1, 'period_start' => '2026-03-31']], 'period_start is given without an interval'],
            'a gauge' => [[$good, ['owner' => $article, 'key' => ArticleCounter::Followers, 'value' => 1]], "counter 'followers' is declared a gauge"],
            'a gauge by type' => [[$good, ['owner_type' => Article::class, 'owner_id' => $article->id, 'key' => 'followers', 'value' => 1]], "counter 'followers' is declared a gauge"],
            'a difference beyond 64 bits' => [[$good, ['owner' => $user, 'key' => 'big', 'value' => PHP_INT_MAX]], "cannot set counter 'big' from"],
        ];
        $this->assertEachRejected(array_map(static fn (array $c): array => [static fn () => Counter::bulkSet($c[0]), $c[1]], $cases));
        $this->assertSame(0, $user->counter('a'), 'the good row before each bad one was never written');
    }

    public function testPostgresTablesRefuseBytesTheyCannotStoreBeforeWriting(): void
    {
        $this->useDatabase('pgsql');
        $this->migrateWithOwners();
        $user = User::create();
        $this->assertEachRejected(['not utf-8' => [static fn () => Counter::bulkSet([
            ['owner' => $user, 'key' => 'a', 'value' => 1],
            ['owner_type' => "\xff", 'owner_id' => 1, 'key' => 'a', 'value' => 1],
        ]), 'is not UTF-8 text without NUL bytes, which the PostgreSQL table stores']]);
        $this->assertSame(0, $user->counter('a'));
    }
}
