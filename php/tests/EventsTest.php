<?php

// counter.events: CounterIncremented / CounterDecremented / CounterSet / CounterReset after
// each write that was applied (never for one refused or swallowed by fail_open), at the call
// when buffered, and CounterSynced after each sync run with its report, on every database.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Config\Repository;
use Illuminate\Support\Carbon;
use PHPUnit\Framework\Attributes\DataProviderExternal;
use Tally\InvalidArgumentException;
use Tally\Laravel\Counter;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Events\CounterDecremented;
use Tally\Laravel\Events\CounterIncremented;
use Tally\Laravel\Events\CounterReset;
use Tally\Laravel\Events\CounterSet;
use Tally\Laravel\Events\CounterSynced;
use Tally\Laravel\Settings;
use Tally\Laravel\Tests\Fixtures\Article;
use Tally\Laravel\Tests\Fixtures\ArticleCounter;
use Tally\Laravel\Tests\Fixtures\User;

final class EventsTest extends TestCase
{
    private const ALL = [CounterIncremented::class, CounterDecremented::class, CounterSet::class, CounterReset::class, CounterSynced::class];

    /** @var list<object> */
    private array $seen = [];

    protected function config(): array
    {
        $config = parent::config();
        $config['counter'] = ['events' => true];

        return $config;
    }

    protected function tearDown(): void
    {
        Carbon::setTestNow();
        if (isset($this->app) && $this->app->resolved(CounterManager::class)) {
            try {
                $this->app->make(CounterManager::class)->flush();   // a buffered test leaves nothing behind
            } catch (\Tally\Exception) {
            }
        }
        parent::tearDown();
    }

    private function listen(): void
    {
        $this->seen = [];
        $this->app->make('events')->listen(self::ALL, function (object $e): void {
            $this->seen[] = $e;
        });
    }

    /** @return list<string> each event seen, as class(owner, key, amount, interval, periods, at) */
    private function seen(): array
    {
        $out = [];
        foreach ($this->seen as $e) {
            $owner = $e instanceof CounterSynced ? '' : ($e->owner === null ? 'global' : class_basename($e->owner) . '#' . $e->owner->getKey());
            $out[] = match (true) {
                $e instanceof CounterIncremented, $e instanceof CounterDecremented => sprintf(
                    '%s(%s, %s, %d, %s, [%s], %s)',
                    class_basename($e), $owner, $e->key, $e->amount, $e->interval?->value ?? '-',
                    implode(',', array_map(static fn (Interval $i): string => $i->value, $e->periods)), $e->at ?? '-'
                ),
                $e instanceof CounterSet => sprintf('CounterSet(%s, %s, %d, %s, %s, was %d)', $owner, $e->key, $e->value, $e->interval?->value ?? '-', $e->periodStart ?? '-', $e->previous),
                $e instanceof CounterReset => sprintf('CounterReset(%s, %s, %s, %s, was %d)', $owner, $e->key, $e->interval?->value ?? '-', $e->periodStart ?? '-', $e->previous),
                $e instanceof CounterSynced => sprintf('CounterSynced(%d, %d, %d)', $e->synced, $e->skipped, $e->errors),
            };
        }
        $this->seen = [];

        return $out;
    }

    public function testOffByDefault(): void
    {
        $this->reboot(['counter' => ['events' => false]]);
        $this->migrateWithOwners();
        $this->assertFalse(Settings::fromConfig(new Repository(Fixtures\Laravel::config('x:')))->events->events, 'the default is off');
        $this->listen();
        $user = User::create();
        $user->incrementCounter('downloads');
        $user->setCounter('downloads', 5);
        $user->resetCounter('downloads');
        $this->artisan('counter:sync');
        $this->assertSame([], $this->seen());
        $this->assertSame(0, $user->counter('downloads'), 'the writes themselves happened');
    }

    public function testIncrementsAndDecrementsCarryTheirPeriods(): void
    {
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:00', 'UTC'));
        $this->listen();
        $article = Article::create();
        $user = User::create();

        $article->incrementCounter(ArticleCounter::Views);                 // declared: day, week, month
        $article->incrementCounter('views', 2, Interval::Year);            // that period only
        $article->decrementCounter('downloads', 3, null, '2026-01-05');    // declared: day, of January 5th
        $user->incrementCounter('logins', 4);                              // nothing declared: lifetime only
        Counter::decrementGlobal('stock', 7);
        Counter::incrementGlobal('signups', 1, Interval::Week, Carbon::parse('2026-02-11'));

        $this->assertSame([
            "CounterIncremented(Article#$article->id, views, 1, -, [day,week,month], 2026-03-31)",
            "CounterIncremented(Article#$article->id, views, 2, year, [year], 2026-03-31)",
            "CounterDecremented(Article#$article->id, downloads, 3, -, [day], 2026-01-05)",
            "CounterIncremented(User#$user->id, logins, 4, -, [], -)",
            'CounterDecremented(global, stock, 7, -, [], -)',
            'CounterIncremented(global, signups, 1, week, [week], 2026-02-11)',
        ], $this->seen());
        $this->assertSame(1, $article->counter('views', Interval::Day), 'events do not change what is counted');
    }

    public function testTheOwnerIsTheModelInstanceGiven(): void
    {
        $this->migrateWithOwners();
        $this->listen();
        $user = User::create();
        $user->incrementCounter('logins');
        $this->assertSame($user, $this->seen[0]->owner);
    }

    public function testManyWritesDispatchOneEventPerKeyAfterTheCall(): void
    {
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:00', 'UTC'));
        $this->listen();
        $article = Article::create();
        $article->incrementCounters(['views' => 2, 'shares' => 5]);
        $article->decrementCounters(['shares' => 1, 'likes' => 2], Interval::Month);
        Counter::incrementMany(null, ['a' => 1, 'b' => 2]);

        $this->assertSame([
            "CounterIncremented(Article#$article->id, views, 2, -, [day,week,month], 2026-03-31)",
            "CounterIncremented(Article#$article->id, shares, 5, -, [], -)",
            "CounterDecremented(Article#$article->id, shares, 1, month, [month], 2026-03-31)",
            "CounterDecremented(Article#$article->id, likes, 2, month, [month], 2026-03-31)",
            'CounterIncremented(global, a, 1, -, [], -)',
            'CounterIncremented(global, b, 2, -, [], -)',
        ], $this->seen());
    }

    public function testSetDispatchesCounterSetAndResetCounterReset(): void
    {
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:00', 'UTC'));
        $user = User::create();
        $user->incrementCounter('credits', 7);
        Counter::increment($user, 'credits', 3, Interval::Month, '2026-02-10');
        $this->listen();

        $user->setCounter('credits', 10);
        $user->setCounter('credits', 10);                                  // already 10: nothing written, still a set
        $user->resetCounter('credits', Interval::Month, '2026-02-20');     // any day names its month
        Counter::resetGlobal('never');

        $this->assertSame([
            "CounterSet(User#$user->id, credits, 10, -, -, was 7)",
            "CounterSet(User#$user->id, credits, 10, -, -, was 10)",
            "CounterReset(User#$user->id, credits, month, 2026-02-01, was 3)",
            'CounterReset(global, never, -, -, was 0)',
        ], $this->seen());
        $this->assertSame([10, 0], [$user->counter('credits'), $user->counter('credits', Interval::Month, '2026-02-01')]);
    }

    public function testNothingIsDispatchedForAWriteRefused(): void
    {
        $this->migrateWithOwners();
        $this->listen();
        $article = Article::create();
        foreach ([
            fn () => $article->incrementCounter(ArticleCounter::Followers),   // a gauge
            fn () => $article->setCounter('followers', 3),
            fn () => $article->incrementCounter(''),
            fn () => $article->incrementCounters(['views' => 1, 'shares' => '2']),   // one bad amount: none written
            fn () => Counter::decrementMany($article, ['views' => PHP_INT_MIN]),
        ] as $i => $write) {
            try {
                $write();
                $this->fail("write $i was not refused");
            } catch (InvalidArgumentException) {
            }
        }
        $this->assertSame([], $this->seen());
        $this->assertSame(0, $article->counter('views'));
    }

    public function testNothingIsDispatchedForAWriteFailOpenSwallowed(): void
    {
        $this->migrateWithOwners();
        $user = User::create();
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr(strrchr(stream_socket_get_name($socket, false), ':'), 1);
        fclose($socket);
        $config = $this->app->make('config');
        $config->set('database.redis.default.port', $port);
        $config->set('counter.fail_open', true);
        $config->set('counter.connect_timeout', 0.5);
        $this->app->forgetInstance(Settings::class);
        $this->app->forgetInstance(CounterManager::class);
        $this->listen();

        $user->incrementCounter('downloads');
        $user->decrementCounters(['a' => 1, 'b' => 2]);

        $this->assertCount(2, $this->exceptions()->reported, 'both failures were reported');
        $this->assertSame([], $this->seen());
    }

    public function testBufferedIncrementsDispatchAtTheCall(): void
    {
        $this->reboot(['counter' => ['events' => true, 'buffer' => true]]);
        $this->migrateWithOwners();
        $this->listen();
        $user = User::create();
        $user->incrementCounter('downloads', 2);
        $user->decrementCounter('downloads');

        $this->assertSame([
            "CounterIncremented(User#$user->id, downloads, 2, -, [], -)",
            "CounterDecremented(User#$user->id, downloads, 1, -, [], -)",
        ], $this->seen(), 'before any flush');
        $this->assertSame([], $this->redisKeys(), 'nothing reached Redis yet');
        $this->assertSame(1, Counter::flush());
        $this->assertSame([], $this->seen(), 'the flush dispatches nothing more');
        $this->assertSame(1, $user->counter('downloads'));
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testCounterSyncedCarriesTheReportOfEachRun(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter + ['events' => true]]);
        $this->migrateWithOwners();
        $user = User::create();
        $user->incrementCounters(['a' => 2, 'b' => 3]);
        $user->incrementCounter('c', 0);                    // a zero delta: skipped
        $this->listen();
        $this->seen = [];

        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertCount(1, $this->seen);
        $synced = $this->seen[0];
        $this->assertInstanceOf(CounterSynced::class, $synced);
        $this->assertSame([2, 1, 0, 0, false, false], [$synced->synced, $synced->skipped, $synced->errors, $synced->setAside, $synced->locked, $synced->dryRun]);
        $this->assertSame(1, $synced->report['owners']);
        $this->assertSame(1, $synced->report['batches']);
        $this->seen = [];

        $user->incrementCounter('a', 5);
        $this->seen = [];
        $report = $this->app->make(CounterManager::class)->sync(['dry_run' => true]);
        $this->assertSame($report, $this->seen[0]->report);
        $this->assertTrue($this->seen[0]->dryRun);
        $this->seen = [];
        $this->app->make(CounterManager::class)->sync();
        $this->assertSame(['CounterSynced(1, 0, 0)'], $this->seen());
        $this->assertSame(7, $user->counter('a'));
    }

    public function testAnEventsSettingThatIsNoBooleanIsRefused(): void
    {
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage('counter.events must be true or false');
        Settings::fromConfig(new Repository(['counter' => ['events' => 'sometimes']] + Fixtures\Laravel::config('x:')));
    }
}
