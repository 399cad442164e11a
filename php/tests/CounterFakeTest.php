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
}
