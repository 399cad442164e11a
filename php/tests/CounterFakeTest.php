<?php

// Counter::fake(): the counter service on an in-memory engine and table, with the real
// engine's results for the same calls, no Redis or database connection, and assertions that
// pass and fail with PHPUnit's failure and a message listing what was recorded.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\Carbon;
use PHPUnit\Framework\ExpectationFailedException;
use Tally\Laravel\Counter;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Ephemeral;
use Tally\Laravel\PathHits;
use Tally\Laravel\RateLimit;
use Tally\Laravel\Testing\CounterFake;
use Tally\Laravel\Testing\RecordedWrite;
use Tally\Laravel\Tests\Fixtures\Article;
use Tally\Laravel\Tests\Fixtures\ArticleCounter;
use Tally\Laravel\Tests\Fixtures\User;

final class CounterFakeTest extends TestCase
{
    protected function tearDown(): void
    {
        Carbon::setTestNow();
        parent::tearDown();
    }

    protected function config(): array
    {
        $config = parent::config();
        $config['counter'] = ['periods' => ['plays' => ['day', 'week']], 'gauges' => ['queue_length']];

        return $config;
    }

    /** An owner that exists for counters without a database: only its key is read. */
    private static function article(int $id): Article
    {
        return (new Article())->forceFill(['id' => $id]);
    }

    private static function user(int $id): User
    {
        return (new User())->forceFill(['id' => $id]);
    }

    /** Runs $assertion, which must fail; returns PHPUnit's message. */
    private function failure(\Closure $assertion): string
    {
        try {
            $assertion();
        } catch (ExpectationFailedException $e) {
            return $e->getMessage();
        }
        $this->fail('the assertion passed');
    }

    // ---- the same calls, the same results ----------------------------------------------

    /**
     * Calls on the counter service, each result or exception (class and message) by name: run
     * once on Redis and SQL, once on the fake, they must agree.
     *
     * @return array<string,mixed>
     */
    private function script(): array
    {
        $out = [];
        $run = static function (string $name, \Closure $call) use (&$out): void {
            try {
                $out[$name] = $call();
            } catch (\Throwable $e) {
                $out[$name] = $e::class . ': ' . $e->getMessage();
            }
        };
        Carbon::setTestNow(Carbon::parse('2026-12-31 10:00:00', 'UTC'));   // a Thursday in ISO week 2026-53
        $a = self::article(1);
        $u = self::user(2);
        $run('inc', fn () => Counter::increment($a, ArticleCounter::Views, 3));         // lifetime, day, week, month
        $run('inc day', fn () => Counter::increment($a, 'views', 2, Interval::Day));   // the day alone
        $run('inc at', fn () => Counter::increment($a, 'views', 5, null, '2027-01-03')); // Sunday: still week 53
        $run('dec', fn () => Counter::decrement($u, 'likes', 4));
        $run('many', fn () => Counter::incrementMany($u, ['likes' => 10, 'shares' => 1, 7 => 2]));
        $run('dec many', fn () => Counter::decrementMany($u, ['shares' => 1]));
        $run('global', fn () => Counter::incrementGlobal('plays', 6));
        $run('get', fn () => Counter::get($a, 'views'));
        $run('get day', fn () => Counter::get($a, 'views', Interval::Day));
        $run('get week', fn () => Counter::get($a, 'views', Interval::Week, '2026-12-28'));
        $run('get month jan', fn () => Counter::get($a, 'views', Interval::Month, '2027-01-15'));
        $run('get many', fn () => Counter::getMany($u, ['likes', 'shares', 'none', '7']));
        $run('all', fn () => Counter::all($u));
        $run('global day', fn () => Counter::getGlobal('plays', Interval::Day));
        $run('for many', fn () => Counter::getForMany([$u, self::user(3)], ['likes', 'shares']));
        $run('top', fn () => [Counter::top(Article::class, 'views', 5), Counter::top(User::class, 'likes', 1, Interval::Day)]);
        $run('history', fn () => Counter::history($a, 'views', Interval::Week, 3, '2027-01-04'));
        $run('history days', fn () => Counter::history($a, 'views', Interval::Day, 4, '2027-01-03'));
        $run('sum', fn () => Counter::sum($a, 'views', Interval::Day));
        $run('sum range', fn () => Counter::sum($a, 'views', Interval::Day, '2027-01-01', '2027-01-31'));
        $run('set', fn () => Counter::set($u, 'likes', 100));
        $run('after set', fn () => Counter::get($u, 'likes'));
        $run('reset day', fn () => Counter::reset($a, 'views', Interval::Day));
        $run('after reset', fn () => [Counter::get($a, 'views', Interval::Day), Counter::get($a, 'views')]);
        $run('sync', fn () => array_intersect_key(\Illuminate\Container\Container::getInstance()->make(CounterManager::class)->sync(), ['synced' => 0, 'set_aside' => 0, 'owners' => 0, 'errors' => 0]));
        $run('after sync', fn () => [Counter::get($a, 'views'), Counter::all($u), Counter::history($a, 'views', Interval::Week, 2)]);
        $run('inc after sync', fn () => Counter::increment($a, 'views'));
        $run('delete day', fn () => Counter::delete($a, 'views', Interval::Day));
        $run('after delete', fn () => [Counter::get($a, 'views'), Counter::get($a, 'views', Interval::Day), Counter::get($a, 'views', Interval::Week)]);
        $run('delete all', fn () => Counter::delete($u, 'likes'));
        $run('after delete all', fn () => Counter::all($u));
        $run('snapshot', fn () => Counter::snapshotGlobal('queue_length', 7, Interval::Day));
        $run('snapshot old', fn () => Counter::snapshotGlobal('queue_length', 3, Interval::Day, '2026-12-01'));
        $run('latest', fn () => [Counter::latestGlobal('queue_length', Interval::Day), Counter::latestGlobal('queue_length', Interval::Day, '2026-12-30')]);
        $run('gauge read', fn () => Counter::getGlobal('queue_length', Interval::Day));

        // Overflow: all or nothing, per counter and period.
        $run('max', fn () => Counter::increment($u, 'big', PHP_INT_MAX));
        $run('overflow', fn () => Counter::increment($u, 'big'));
        $run('overflow many', fn () => Counter::incrementMany($u, ['small' => 1, 'big' => 1]));
        $run('after overflow', fn () => Counter::getMany($u, ['small', 'big']));
        $run('overflow periods', fn () => [Counter::increment($a, 'views', PHP_INT_MAX, Interval::Week), Counter::increment($a, 'views')]);
        $run('after overflow periods', fn () => [Counter::get($a, 'views'), Counter::get($a, 'views', Interval::Day)]);
        $run('min', fn () => Counter::increment($u, 'low', PHP_INT_MIN));
        $run('dec min', fn () => Counter::decrement($u, 'low', PHP_INT_MIN));
        $run('dec many min', fn () => Counter::decrementMany($u, ['low' => PHP_INT_MIN]));

        // Bad input.
        $run('empty key', fn () => Counter::increment($u, ''));
        $run('long key', fn () => Counter::increment($u, str_repeat('k', 101)));
        $run('key 100', fn () => Counter::increment($u, str_repeat('k', 100)));
        $run('bad date', fn () => Counter::increment($u, 'x', 1, Interval::Day, '2026-02-30'));
        $run('old date', fn () => Counter::get($u, 'x', Interval::Day, '1969-12-31'));
        $run('bad amount', fn () => Counter::incrementMany($u, ['x' => '1']));
        $run('gauge inc', fn () => Counter::incrementGlobal('queue_length'));
        $run('snapshot counter', fn () => Counter::snapshotGlobal('plays', 1, Interval::Day));
        $run('history 0', fn () => Counter::history($u, 'x', Interval::Day, 0));
        $run('sum backwards', fn () => Counter::sum($u, 'x', Interval::Day, '2027-01-02', '2027-01-01'));
        $run('unsaved', fn () => Counter::increment(new User(), 'x'));

        // Ephemeral counters and path hits.
        $run('key inc', fn () => [Ephemeral::increment('jobs', 2, 60), Ephemeral::increment('jobs', 1, 600), Ephemeral::ttl('jobs')]);
        $run('key get', fn () => [Ephemeral::get('jobs'), Ephemeral::getMany(['jobs', 'none']), Ephemeral::ttl('none')]);
        $run('key brace', fn () => Ephemeral::increment('a{b}'));
        $run('key forget', fn () => [Ephemeral::forget(['jobs', 'none']), Ephemeral::get('jobs')]);
        $run('hits', fn () => [PathHits::track('/a', 2), PathHits::track('/b'), PathHits::hits('/a'), PathHits::topPaths(5)]);
        $run('progress', function () {
            $p = Ephemeral::progress('batch-1');
            $p->addTotal(10);
            $p->complete(3);

            return (array) $p->get();
        });

        // Rate limits (what does not depend on the clock).
        $limit = static fn (array $attempts): array => array_map(static fn ($r): array => [$r->allowed, $r->limit, $r->remaining], $attempts);
        $run('fixed', fn () => $limit([RateLimit::attempt('login', 3, 60, cost: 2), RateLimit::attempt('login', 3, 60, cost: 2), RateLimit::peek('login', 3, 60), RateLimit::attempt('login', 3, 60)]));
        $run('sliding', fn () => $limit([RateLimit::attempt('api', 2, 60, true), RateLimit::attempt('api', 2, 60, true), RateLimit::attempt('api', 2, 60, true)]));
        $run('denied waits', fn () => [RateLimit::attempt('login', 3, 60, cost: 3)->retryAfter > 0, RateLimit::attempt('api', 2, 60, true)->retryAfter > 0]);
        $run('limit reset', fn () => [RateLimit::reset('login'), RateLimit::reset('login'), $limit([RateLimit::attempt('login', 3, 60, cost: 3)])]);
        $run('bad cost', fn () => RateLimit::attempt('login', 3, 60, cost: 4));
        $run('sliding max', fn () => RateLimit::attempt('api', 100001, 60, true));

        // A row the database cannot store is set aside by the sync, kept and still counted.
        $manager = static fn (): CounterManager => \Illuminate\Container\Container::getInstance()->make(CounterManager::class);
        $run('fill', function () use ($u, $manager) {
            Counter::increment($u, 'full', PHP_INT_MAX);
            $manager()->sync();
            Counter::increment($u, 'full', 1);
            $r = $manager()->sync();

            return [$r['synced'], $r['set_aside'], count($r['errors']), $manager()->engine()->failed()];
        });
        $run('read full', fn () => Counter::get($u, 'full'));
        $run('retry', fn () => [count($manager()->engine()->retryFailed()), $manager()->engine()->failed(), Counter::decrement($u, 'full', 1), $manager()->sync()['synced'], Counter::get($u, 'full')]);

        return $out;
    }

    public function testTheFakeGivesTheRealEnginesResults(): void
    {
        $this->migrate();
        $real = $this->script();

        $this->reboot([]);
        $fake = Counter::fake();
        $faked = $this->script();

        $this->assertSame($real, $faked);
        $this->assertNotEmpty($fake->recorded());
    }

    // ---- the swap ----------------------------------------------------------------------

    public function testFakeReturnsTheFakeAndSwapsTheServiceUntilTheApplicationIsRebuilt(): void
    {
        $real = $this->app->make(CounterManager::class);
        $fake = Counter::fake();

        $this->assertInstanceOf(CounterFake::class, $fake);
        $this->assertSame($fake, $this->app->make(CounterManager::class)->fake());
        $this->assertNotSame($real, $this->app->make(CounterManager::class));
        $this->assertSame($fake->engine, $this->app->make(CounterManager::class)->engine());
        Counter::increment(self::user(1), 'likes', 2);
        self::user(1)->incrementCounter('likes');
        $this->assertSame(3, Counter::get(self::user(1), 'likes'));

        $again = Counter::fake();   // a new fake starts empty
        $this->assertNotSame($fake, $again);
        $this->assertSame(0, Counter::get(self::user(1), 'likes'));
        $this->assertSame([], $again->recorded());

        $this->reboot([]);
        $this->assertNull($this->app->make(CounterManager::class)->fake());
        $this->assertInstanceOf(\Tally\Counter::class, $this->app->make(CounterManager::class)->engine());
    }

    public function testNothingConnectsToRedisOrTheDatabaseUnderTheFake(): void
    {
        // counter.store on a port nobody listens on, and a database that cannot open.
        $closed = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr(strrchr(stream_socket_get_name($closed, false), ':'), 1);
        fclose($closed);
        $this->reboot([
            'database' => [
                'redis' => ['default' => ['host' => '127.0.0.1', 'port' => $port, 'scheme' => 'tcp', 'timeout' => 0.2]],
                'connections' => ['testing' => ['database' => '/nonexistent/dir/counters.sqlite']],
            ],
        ]);
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:00', 'UTC'));
        $this->assertThrows(fn () => Counter::increment(self::user(1), 'likes'), \Tally\ConnectionException::class);

        Counter::fake();
        $article = self::article(5);
        $article->incrementCounter(ArticleCounter::Views, 2);
        Counter::incrementGlobal('plays');
        Counter::snapshotGlobal('queue_length', 4, Interval::Day);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame(2, $article->counter('views', Interval::Month));
        $this->assertSame(['views' => 2], $article->allCounters());
        $this->assertSame(1, $article->deleteCounter('views', Interval::Day));
        $this->assertSame(4, Counter::latestGlobal('queue_length', Interval::Day));
        $this->assertSame(1, Ephemeral::increment('jobs'));
        $this->assertTrue(RateLimit::attempt('login', 1, 60)->allowed);
        PathHits::track('/home');
        $this->assertSame(['/home' => 1], PathHits::topPaths());
        [$code, $out] = $this->artisan('counter:failed');
        $this->assertSame(0, $code, $out);

        $this->assertSame([], $this->app->make('db')->getConnections(), 'no database connection was opened');
        Counter::assertIncremented($article, 'views', 2, Interval::Week);
    }

    private function assertThrows(\Closure $call, string $class): void
    {
        try {
            $call();
        } catch (\Throwable $e) {
            $this->assertInstanceOf($class, $e);

            return;
        }
        $this->fail("no $class was thrown");
    }

    // ---- assertions --------------------------------------------------------------------

    public function testAssertIncrementedAddsUpIncrementsOfTheCounterAndItsPeriods(): void
    {
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:00', 'UTC'));
        $fake = Counter::fake();
        $article = self::article(5);
        $article->incrementCounter(ArticleCounter::Views);                 // lifetime, day, week, month (declared)
        Counter::increment($article, 'views', 2);
        Counter::increment($article, 'views', 4, Interval::Year);          // the year alone
        Counter::incrementMany($article, ['views' => 10, 'downloads' => 1]);
        Counter::incrementGlobal('plays', 7);                              // global: lifetime, day and week (config)

        Counter::assertIncremented($article, 'views');
        Counter::assertIncremented($article, ArticleCounter::Views, 13);
        $fake->assertIncremented($article, 'views', 13, Interval::Day);
        Counter::assertIncremented($article, 'views', 4, Interval::Year);
        Counter::assertIncremented($article, 'downloads', 1, Interval::Day);
        Counter::assertIncremented(null, 'plays', 7, Interval::Week);
        $this->assertSame(13, Counter::get($article, 'views'), 'assertions do not change counters');

        $message = $this->failure(fn () => Counter::assertIncremented($article, 'views', 12));
        $this->assertStringContainsString("Counter 'views' of " . Article::class . ' #5 (lifetime) was incremented by 13 in total (3 calls), not 12.', $message);
        $this->assertStringContainsString("increment " . Article::class . " #5 'views' by 1 (lifetime, day, week, month of 2026-03-31)", $message);
        $this->assertStringContainsString("increment " . Article::class . " #5 'views' by 4 (year of 2026-03-31)", $message);

        $message = $this->failure(fn () => Counter::assertIncremented($article, 'downloads', null, Interval::Month));
        $this->assertStringContainsString("Counter 'downloads' of " . Article::class . ' #5 (month) was not incremented.', $message);
        $this->assertStringContainsString("'downloads' by 1 (lifetime, day of 2026-03-31)", $message);

        $message = $this->failure(fn () => Counter::assertIncremented(self::article(6), 'views', 1));
        $this->assertStringContainsString('#6 (lifetime) was not incremented (expected 1 in total).', $message);
        $this->assertStringContainsString("global 'plays' by 7 (lifetime, day, week of 2026-03-31)", $message, 'lists everything recorded when the counter has nothing');

        $this->failure(fn () => Counter::assertIncremented(null, 'views'));   // the global counter is another one
        $this->failure(fn () => Counter::assertIncremented(self::user(5), 'views'));   // so is another owner type
    }

    public function testAssertDecrementedAndTheNegativeAssertions(): void
    {
        $fake = Counter::fake();
        $user = self::user(1);
        Counter::decrement($user, 'credits', 3);
        Counter::decrementMany($user, ['credits' => 2, 'slots' => 1]);
        Counter::set($user, 'balance', 10);   // neither an increment nor a decrement
        Counter::reset($user, 'credits');

        Counter::assertDecremented($user, 'credits', 5);
        $fake->assertDecremented($user, 'slots');
        Counter::assertNotIncremented($user, 'credits');
        Counter::assertNotIncremented($user, 'balance');
        Counter::assertNotDecremented($user, 'balance');
        Counter::assertNothingIncremented();
        Counter::assertCounter($user, 'balance', 10);
        Counter::assertCounter($user, 'credits', 0);

        $message = $this->failure(fn () => Counter::assertDecremented($user, 'credits', 3));
        $this->assertStringContainsString("Counter 'credits' of " . User::class . ' #1 (lifetime) was decremented by 5 in total (2 calls), not 3.', $message);
        $this->assertStringContainsString("decrement " . User::class . " #1 'credits' by 2 (lifetime)", $message);
        $this->failure(fn () => Counter::assertDecremented($user, 'balance'));
        $message = $this->failure(fn () => Counter::assertNotDecremented($user, 'slots'));
        $this->assertStringContainsString("Counter 'slots' of " . User::class . ' #1 (lifetime) was decremented 1 time.', $message);
        $message = $this->failure(fn () => Counter::assertNothingDecremented());
        $this->assertStringContainsString('3 counter decrements were made.', $message);

        Counter::increment($user, 'credits', 1, Interval::Day);
        Counter::assertNotIncremented($user, 'credits');                  // the lifetime counter was not
        $message = $this->failure(fn () => Counter::assertNotIncremented($user, 'credits', Interval::Day));
        $this->assertStringContainsString("(day) was incremented 1 time.\nRecorded:\n  increment " . User::class . " #1 'credits' by 1 (day of ", $message);
        $message = $this->failure(fn () => Counter::assertNothingIncremented());
        $this->assertStringContainsString('1 counter increment were made.', $message);
    }

    public function testAssertCounterComparesTheExactValue(): void
    {
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:00', 'UTC'));
        Counter::fake();
        $article = self::article(5);
        $article->incrementCounter('views', 3);
        Counter::increment($article, 'views', 2, Interval::Day, '2026-03-01');

        Counter::assertCounter($article, 'views', 3);
        Counter::assertCounter($article, ArticleCounter::Views, 3, Interval::Week);
        Counter::assertCounter($article, 'views', 2, Interval::Day, '2026-03-01');
        Counter::assertCounter($article, 'views', 3, Interval::Month);   // the day of March 1st alone had the 2
        Counter::assertCounter(null, 'views', 0);

        $message = $this->failure(fn () => Counter::assertCounter($article, 'views', 5, Interval::Month));
        $this->assertStringContainsString("Counter 'views' of " . Article::class . ' #5 (month) is 3, not 5.', $message);
        $this->assertStringContainsString("'views' by 2 (day of 2026-03-01)", $message);
    }

    public function testAssertionsWithoutTheFakeFail(): void
    {
        $message = $this->failure(fn () => Counter::assertNothingIncremented());
        $this->assertStringContainsString('Counters are not faked: call Counter::fake() first', $message);
    }

    public function testBadInputToAssertionsThrows(): void
    {
        Counter::fake();
        $this->expectException(\Tally\InvalidArgumentException::class);
        $this->expectExceptionMessage('counter key must not be empty');
        Counter::assertIncremented(null, '');
    }

    // ---- the rest of the semantics -----------------------------------------------------

    public function testEphemeralCountersExpireOnCarbonsClock(): void
    {
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:00', 'UTC'));
        Counter::fake();
        $this->assertSame(2, Ephemeral::increment('jobs', 2, 60));
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:50', 'UTC'));
        $this->assertSame(3, Ephemeral::increment('jobs', 1, 600));   // later increments keep the first expiry
        $this->assertSame(10, Ephemeral::ttl('jobs'));
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:01:00', 'UTC'));
        $this->assertSame(0, Ephemeral::get('jobs'));
        $this->assertSame(-2, Ephemeral::ttl('jobs'));

        $this->assertSame(1, Ephemeral::hit('signups'));
        $this->assertSame(1, Ephemeral::rate('signups', 1));
        $this->assertTrue(RateLimit::attempt('login', 1, 60)->allowed);
        $this->assertSame(60, RateLimit::attempt('login', 1, 60)->retryAfter);
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:02:00', 'UTC'));
        $this->assertTrue(RateLimit::attempt('login', 1, 60)->allowed, 'the window ended');
    }

    public function testPeriodsAreCountedInCounterTimezone(): void
    {
        $this->reboot(['counter' => ['timezone' => 'Pacific/Auckland']]);
        Carbon::setTestNow(Carbon::parse('2026-12-31 12:00:00', 'UTC'));   // 01:00 on January 1st in Auckland
        $fake = Counter::fake();
        Counter::incrementGlobal('plays');   // declared: lifetime, day, week

        Counter::assertCounter(null, 'plays', 1, Interval::Day, '2027-01-01');
        Counter::assertCounter(null, 'plays', 0, Interval::Day, '2026-12-31');
        Counter::assertCounter(null, 'plays', 1, Interval::Week, '2026-12-28');   // ISO week 53 of 2026
        $this->assertSame('2027-01-01', $fake->recorded()[0]->date);
    }

    public function testUniqueCountsAreExactSetsUnderTheFake(): void
    {
        $this->migrate();
        $this->reboot(['counter' => ['timezone' => 'UTC']]);
        Carbon::setTestNow(Carbon::parse('2026-12-01 10:00:00', 'UTC'));
        Counter::fake();
        Counter::addUniqueGlobal('visitors', ['a', 'b', 7]);
        $this->assertFalse(Counter::addUniqueGlobal('visitors', 'a'));
        Carbon::setTestNow(Carbon::parse('2026-12-02 10:00:00', 'UTC'));
        $this->assertTrue(Counter::addUniqueGlobal('visitors', ['a', 'c']));
        Counter::addUniqueGlobal('visitors', 'z', Interval::Month);

        $this->assertSame(2, Counter::uniquesGlobal('visitors'));
        $this->assertSame(3, Counter::uniquesGlobal('visitors', Interval::Day, '2026-12-01'));
        $this->assertSame(4, Counter::uniquesBetweenGlobal('visitors', Interval::Day, '2026-12-01', '2026-12-02'));
        $this->assertSame(1, Counter::uniquesGlobal('visitors', Interval::Month));
        $this->assertSame(['2026-12-01' => 3, '2026-12-02' => 2], Counter::uniqueHistoryGlobal('visitors', Interval::Day, 2));
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame(3, Counter::uniquesGlobal('visitors', Interval::Day, '2026-12-01'));
        $this->expectException(\Tally\InvalidArgumentException::class);
        Counter::addUniqueGlobal('visitors', []);
    }

    public function testFailOpenReportsAnOverflowAndRecordsNothing(): void
    {
        $this->reboot(['counter' => ['fail_open' => true]]);
        Counter::fake();
        $user = self::user(1);
        Counter::increment($user, 'big', PHP_INT_MAX);
        Counter::increment($user, 'big');   // overflows: reported, swallowed, not counted

        Counter::assertIncremented($user, 'big', PHP_INT_MAX);
        Counter::assertCounter($user, 'big', PHP_INT_MAX);
        $this->assertCount(1, $this->exceptions()->reported);
        $this->assertInstanceOf(\Tally\OverflowException::class, $this->exceptions()->reported[0]);
        $this->expectException(\Tally\InvalidArgumentException::class);   // bad arguments still throw
        Counter::increment($user, '');
    }

    public function testRecordedWritesAreThereForAssertionsOfYourOwn(): void
    {
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:00', 'UTC'));
        $fake = Counter::fake();
        Counter::increment(self::article(5), 'downloads', 2);
        Counter::decrementGlobal('stock', 1, null, '2026-03-01');

        $this->assertEquals([
            new RecordedWrite('increment', Article::class, '5', 'downloads', 2, ['', 'day'], '2026-03-31'),
            new RecordedWrite('decrement', '', '', 'stock', 1, [''], '2026-03-01'),
        ], $fake->recorded());

        $this->app->make(CounterManager::class)->sync();
        $rows = array_map(static fn (array $r): string => "{$r['owner_type']}|{$r['owner_id']}|{$r['key']}|{$r['period']}|{$r['period_start']}={$r['count']}", $fake->database->rows());
        sort($rows);
        $this->assertSame([
            Article::class . '|5|downloads|day|2026-03-31=2',
            Article::class . '|5|downloads||1970-01-01=2',
            '||stock||1970-01-01=-1',
        ], $rows);
    }
}
