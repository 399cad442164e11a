<?php

// withCounter() / orderByCounter(): the synced values as a column and an order, in one
// query, on every database; integer and UUID owners, periods, no row = 0, pending deltas not
// in it; a bad direction and a counters table on another connection throw.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\Carbon;
use PHPUnit\Framework\Attributes\DataProviderExternal;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Tests\Fixtures\ArticleCounter;
use Tally\Laravel\Tests\Fixtures\AssertsRejections;
use Tally\Laravel\Tests\Fixtures\Document;
use Tally\Laravel\Tests\Fixtures\User;

final class CounterScopesTest extends TestCase
{
    use AssertsRejections;

    protected function tearDown(): void
    {
        Carbon::setTestNow();
        parent::tearDown();
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testWithCounterAndOrderByCounterReadTheSyncedValues(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter]);
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-03-04 15:00:00', 'UTC'));
        [$a, $b, $c] = [User::create(['name' => 'a']), User::create(['name' => 'b']), User::create(['name' => 'c'])];
        $a->incrementCounter('downloads', 5);
        $b->incrementCounter('downloads', 9);
        $b->incrementCounter('page-views', 2);
        $b->incrementCounter(ArticleCounter::Views, 6);
        $a->incrementCounter('downloads', 3, Interval::Day);
        $c->incrementCounter('downloads', 1, Interval::Day, '2026-03-03');
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $c->incrementCounter('downloads', 100);             // pending: not in the scopes

        $rows = User::query()->withCounter('downloads')->orderBy('id')->get();
        $this->assertSame([['a', 5], ['b', 9], ['c', 0]], $rows->map(fn (User $u) => [$u->name, $u->downloads_count])->all());
        $this->assertSame(['id', 'name', 'downloads_count'], array_keys($rows[0]->getAttributes()), 'the model\'s columns stay');

        $this->assertSame(['b', 'a', 'c'], User::query()->orderByCounter('downloads')->pluck('name')->all());
        $this->assertSame(['c', 'a', 'b'], User::query()->orderByCounter('downloads', 'ASC')->pluck('name')->all());
        $this->assertSame(
            [['b', 9, 2], ['a', 5, 0]],
            User::query()->select('name')->where('name', '!=', 'c')->withCounter('downloads')->withCounter('page-views')
                ->orderByCounter('downloads')->get()->map(fn (User $u) => [$u->name, $u->downloads_count, $u->page_views_count])->all()
        );

        $this->assertSame([3, 0, 0], User::query()->withCounter('downloads', Interval::Day)->orderBy('id')->pluck('downloads_count')->all());
        $this->assertSame([0, 0, 1], User::query()->withCounter('downloads', Interval::Day, '2026-03-03')->orderBy('id')->pluck('downloads_count')->all());
        $this->assertSame(['c', 'a', 'b'], User::query()->orderByCounter('downloads', 'desc', Interval::Day, Carbon::parse('2026-03-03'))->orderBy('id')->pluck('name')->all());
        $this->assertSame([0, 6, 0], User::query()->withCounter(ArticleCounter::Views)->orderBy('id')->pluck('views_count')->all(), 'a backed enum key');

        $doc = Document::create();
        $other = Document::create();
        $doc->incrementCounter('downloads', 4);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $got = Document::query()->withCounter('downloads')->pluck('downloads_count', 'id')->all();
        ksort($got, SORT_STRING);
        $want = [$doc->id => 4, $other->id => 0];
        ksort($want, SORT_STRING);
        $this->assertSame($want, $got);
        $this->assertSame($doc->id, Document::query()->orderByCounter('downloads')->value('id'));
    }

    public function testBadInput(): void
    {
        $this->migrateWithOwners();
        $this->assertEachRejected([
            'direction' => [fn () => User::query()->orderByCounter('downloads', 'sideways'), "orderByCounter() direction must be 'asc' or 'desc', got 'sideways'"],
            'empty key' => [fn () => User::query()->withCounter(''), 'counter key must not be empty'],
            'bad date' => [fn () => User::query()->withCounter('downloads', Interval::Day, 'today'), "\$periodStart must be a date 'Y-m-d'"],
        ]);
    }

    public function testACountersTableOnAnotherConnectionIsRefused(): void
    {
        $this->reboot([
            'database' => ['connections' => ['counters' => ['driver' => 'sqlite', 'database' => ':memory:']]],
            'counter' => ['connection' => 'counters'],
        ]);
        $this->migrateWithOwners();
        $this->assertEachRejected([
            'withCounter' => [fn () => User::query()->withCounter('downloads'), 'cannot select or order ' . User::class . " by counter 'downloads': the counters table is on connection 'counters' (counter.connection), users on 'testing', and a subselect cannot cross connections"],
            'orderByCounter' => [fn () => User::query()->orderByCounter('downloads'), "on connection 'counters'"],
        ]);
    }
}
