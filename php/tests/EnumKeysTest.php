<?php

// A backed enum is accepted wherever a key is: Counter, HasCounters, CounterManager,
// Ephemeral, PathHits and RateLimit; its value is the key, an int-backed one's as a string,
// the same counter as that string.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\Carbon;
use PHPUnit\Framework\Attributes\DataProviderExternal;
use Tally\Laravel\Counter;
use Tally\Laravel\CounterDefinition;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Ephemeral;
use Tally\Laravel\PathHits;
use Tally\Laravel\RateLimit;
use Tally\Laravel\Tests\Fixtures\Article;
use Tally\Laravel\Tests\Fixtures\ArticleCounter;
use Tally\Laravel\Tests\Fixtures\Metric;
use Tally\Laravel\Tests\Fixtures\User;

final class EnumKeysTest extends TestCase
{
    protected function tearDown(): void
    {
        Carbon::setTestNow();
        parent::tearDown();
    }

    public function testTheKeyOfAnEnumIsItsValue(): void
    {
        $this->assertSame('views', CounterDefinition::normalizeKey(ArticleCounter::Views));
        $this->assertSame('42', CounterDefinition::normalizeKey(Metric::Clicks));
        $this->assertSame('7', CounterDefinition::make(Metric::Views)->key);
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testCounterAndTheTraitTakeEnumsEverywhere(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter]);
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:00', 'UTC'));
        $user = User::create();

        // Writes: the trait, Counter, its global variants, set/reset, with and without periods.
        $user->incrementCounter(Metric::Views, 5);
        $user->decrementCounter(Metric::Views);
        Counter::increment($user, Metric::Clicks, 3, Interval::Day);
        Counter::decrement($user, ArticleCounter::Views, 2);
        $user->incrementCounters([Metric::Clicks->value => 10, ArticleCounter::Views->value => 1]);   // array keys are the values
        $user->decrementCounters([Metric::Clicks->value => 1]);
        Counter::incrementGlobal(Metric::Views, 4, Interval::Month);
        Counter::decrementGlobal(Metric::Views, 1, Interval::Month);
        Counter::setGlobal(Metric::Clicks, 8);
        $user->setCounter(ArticleCounter::Followers, 9);
        $user->resetCounter(ArticleCounter::Followers);
        Counter::set($user, Metric::Clicks, 20, Interval::Week);
        Counter::reset($user, Metric::Clicks, Interval::Week);
        Counter::resetGlobal(Metric::Clicks);
        Counter::bulkSet([['owner' => $user, 'key' => Metric::Views, 'value' => 11]]);

        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);

        // Reads by enum and by its value are one counter.
        $this->assertSame(11, $user->counter(Metric::Views));
        $this->assertSame(11, $user->counter('7'));
        $this->assertSame(9, Counter::get($user, Metric::Clicks));
        $this->assertSame(3, Counter::get($user, Metric::Clicks, Interval::Day));
        $this->assertSame(0, Counter::get($user, '42', Interval::Week));
        $this->assertSame(-1, Counter::get($user, ArticleCounter::Views));
        $this->assertSame(['7' => 11, '42' => 9, 'views' => -1], $user->counters([Metric::Views, Metric::Clicks, ArticleCounter::Views]));
        $this->assertSame(['42' => 9], Counter::getMany($user, [Metric::Clicks]));
        $all = $user->allCounters();
        $this->assertSame([9, 11, -1], [$all['42'], $all['7'], $all['views']]);
        $this->assertSame(['2026-03-30' => 0, '2026-03-31' => 3], $user->counterHistory(Metric::Clicks, Interval::Day, 2));
        $this->assertSame(['2026-03-30' => 0, '2026-03-31' => 3], Counter::history($user, Metric::Clicks, Interval::Day, 2));
        $this->assertSame(3, $user->counterSum(Metric::Clicks, Interval::Day));
        $this->assertSame(3, Counter::sum($user, Metric::Clicks, Interval::Day, '2026-03-01'));
        $this->assertSame(3, Counter::getGlobal(Metric::Views, Interval::Month));
        $this->assertSame(['7' => 0, '42' => 0], Counter::getManyGlobal([Metric::Views, Metric::Clicks]));
        $this->assertSame(['2026-03-01' => 3], Counter::historyGlobal(Metric::Views, Interval::Month, 1));
        $this->assertSame(3, Counter::sumGlobal(Metric::Views, Interval::Month));

        // Delete by enum.
        $this->assertSame(1, $user->deleteCounter(Metric::Views));
        $this->assertSame(1, Counter::deleteGlobal(Metric::Views, Interval::Month));
        $this->assertSame(2, Counter::delete($user, Metric::Clicks));      // lifetime and its day
        $this->assertSame(0, $user->counter(Metric::Views));
        $this->assertSame(0, Counter::get($user, Metric::Clicks, Interval::Day));
    }

    public function testGaugesAndDeclarationsTakeEnums(): void
    {
        $this->reboot(['counter' => ['gauges' => ['7']]]);
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-03-31 12:00:00', 'UTC'));
        $article = Article::create();
        Counter::snapshot($article, ArticleCounter::Followers, 12, Interval::Day);
        Counter::snapshotGlobal(Metric::Views, 5, Interval::Day);
        $this->assertSame(12, Counter::latest($article, ArticleCounter::Followers, Interval::Day));
        $this->assertSame(5, Counter::latestGlobal(Metric::Views, Interval::Day));
        $article->incrementCounter(ArticleCounter::Views);      // declared by enum: day, week, month
        $this->assertSame([1, 1], [$article->counter('views', Interval::Day), $article->counter(ArticleCounter::Views, Interval::Month)]);
    }

    public function testTheManagerTakesEnums(): void
    {
        $this->migrateWithOwners();
        $user = User::create();
        $manager = $this->app->make(CounterManager::class);
        $manager->increment($user, Metric::Views, 2);
        $manager->decrement($user, Metric::Views);
        $manager->set($user, Metric::Clicks, 4);
        $this->assertSame(1, $manager->get($user, Metric::Views));
        $this->assertSame(['42' => 4], $manager->getMany($user, [Metric::Clicks]));
        $manager->reset($user, Metric::Clicks);
        $this->assertSame(0, $manager->get($user, '42'));
    }

    public function testEphemeralCountersPathsAndRateLimitsTakeEnums(): void
    {
        $this->migrateWithOwners();
        $this->assertSame(3, Ephemeral::increment(Metric::Views, 3, 60));
        $this->assertSame(2, Ephemeral::decrement(Metric::Views));
        $this->assertSame(2, Ephemeral::get(Metric::Views));
        $this->assertSame(2, Ephemeral::get('7'));
        $this->assertSame(['7' => 2, 'views' => 0], Ephemeral::getMany([Metric::Views, ArticleCounter::Views]));
        $this->assertGreaterThan(0, Ephemeral::ttl(Metric::Views));
        $this->assertSame(1, Ephemeral::hit(ArticleCounter::Views));
        $this->assertSame(1, Ephemeral::rate(ArticleCounter::Views, 1));
        $this->assertSame(1, Ephemeral::forget(Metric::Views));
        Ephemeral::increment(Metric::Clicks);
        $this->assertSame(1, Ephemeral::forget([Metric::Clicks, 'missing']));

        PathHits::track(ArticleCounter::Views, 2);
        $this->assertSame(2, PathHits::hits('views'));
        $this->assertSame(2, PathHits::hits(ArticleCounter::Views));

        $this->assertTrue(RateLimit::attempt(Metric::Views, 1, 60)->allowed);
        $this->assertFalse(RateLimit::attempt('7', 1, 60)->allowed, 'the same limit as its value');
        $this->assertFalse(RateLimit::peek(Metric::Views, 1, 60)->allowed);
        $this->assertTrue(RateLimit::reset(Metric::Views));
    }
}
