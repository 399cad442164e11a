<?php

// Tally\Laravel\CounterDefinition and what models and config declare (Declarations).

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Tally\Laravel\CounterDefinition;
use Tally\Laravel\Declarations;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\PeriodSettings;
use Tally\Laravel\Settings;
use Tally\Laravel\Tests\Fixtures\Article;
use Tally\Laravel\Tests\Fixtures\ArticleCounter;
use Tally\Laravel\Tests\Fixtures\AssertsRejections;
use Tally\Laravel\Tests\Fixtures\User;

final class CounterDefinitionTest extends TestCase
{
    use AssertsRejections;

    public function testIntervalsAccumulateInOrderAndNullClearsThem(): void
    {
        $d = CounterDefinition::make(ArticleCounter::Views)->interval(Interval::Month)->interval(Interval::Day, Interval::Month);
        $this->assertSame('views', $d->key);
        $this->assertSame([Interval::Month, Interval::Day], $d->intervals());
        $this->assertSame([Interval::Year], $d->interval(null)->interval(Interval::Year)->intervals());
        $this->assertSame([], CounterDefinition::make('x')->interval(Interval::Day)->interval(null)->intervals());
    }

    public function testGauge(): void
    {
        $this->assertFalse(CounterDefinition::make('followers')->isGauge());
        $this->assertTrue(CounterDefinition::make('followers')->gauge()->isGauge());
        $this->assertFalse(CounterDefinition::make('followers')->gauge()->gauge(false)->isGauge());
    }

    public function testASourceAndItsVerifyMode(): void
    {
        $plain = CounterDefinition::make('comments');
        $this->assertSame([false, false, \Tally\Laravel\Enums\CounterVerifyMode::Equal], [$plain->hasSource(), $plain->isRecountable(), $plain->getVerifyMode()]);
        $counted = CounterDefinition::make('comments')->recountUsing(fn () => 1);
        $this->assertSame([true, true], [$counted->hasSource(), $counted->isRecountable()]);
        $atLeast = CounterDefinition::make('edits')->recountUsing(fn () => 1)->verifyMode(\Tally\Laravel\Enums\CounterVerifyMode::AtLeast);
        $this->assertSame([true, false, 'at_least'], [$atLeast->hasSource(), $atLeast->isRecountable(), $atLeast->getVerifyMode()->value]);
        $this->assertSame([true, false, true, true], [
            \Tally\Laravel\Enums\CounterVerifyMode::Equal->accepts(3, 3), \Tally\Laravel\Enums\CounterVerifyMode::Equal->accepts(4, 3),
            \Tally\Laravel\Enums\CounterVerifyMode::AtLeast->accepts(4, 3), \Tally\Laravel\Enums\CounterVerifyMode::AtLeast->accepts(3, 3),
        ]);
        $this->assertFalse(\Tally\Laravel\Enums\CounterVerifyMode::AtLeast->accepts(2, 3));
    }

    public function testAModelsDefinitionsWinOverConfigWhichHoldsForEveryoneElse(): void
    {
        $this->reboot(['counter' => [
            'periods' => ['shares' => ['day'], 'views' => [Interval::Year], 'logins' => ['week', Interval::Day, 'week']],
            'gauges' => ['storage'],
        ]]);
        $d = new Declarations($this->app->make(Settings::class)->periods);
        $article = new Article(['id' => 1]);
        $user = new User(['id' => 1]);
        Article::$definitionReads = 0;

        $this->assertSame([Interval::Day, Interval::Week, Interval::Month], $d->intervals($article, 'views'));
        $this->assertSame([Interval::Year], $d->intervals($user, 'views'));
        $this->assertSame([Interval::Year], $d->intervals(null, 'views'), 'config holds for global counters');
        $this->assertSame([], $d->intervals($article, 'shares'), "the model's definition of shares has no periods");
        $this->assertSame([Interval::Day], $d->intervals($user, 'shares'));
        $this->assertSame([Interval::Week, Interval::Day], $d->intervals($article, 'logins'), 'a key the model does not define: config');
        $this->assertSame([], $d->intervals($user, 'undeclared'));

        $this->assertSame([true, false, true, false], [$d->isGauge($article, 'followers'), $d->isGauge($user, 'followers'), $d->isGauge(null, 'storage'), $d->isGauge($article, 'views')]);
        $this->assertSame([true, true, true, false, false], [
            $d->isCounter($article, 'views'), $d->isCounter($article, 'shares'), $d->isCounter(null, 'logins'),
            $d->isCounter($article, 'followers'), $d->isCounter($user, 'undeclared'),
        ]);
        $this->assertSame(1, Article::$definitionReads, 'counterDefinitions() is read once per class');
    }

    public function testBadDeclarations(): void
    {
        $periods = fn (array $counter) => fn () => PeriodSettings::fromArray($counter, 'UTC');
        $this->assertEachRejected([
            'empty key' => [fn () => CounterDefinition::make(''), 'counter key must not be empty'],
            'unknown interval' => [$periods(['periods' => ['views' => ['day', 'fortnight']]]), "counter.periods.views: unknown interval 'fortnight' (day, week, month, quarter or year)"],
            'not a list' => [$periods(['periods' => ['views' => 'day']]), 'counter.periods.views must be a list of intervals'],
            'not a name' => [$periods(['periods' => ['views' => [7]]]), 'counter.periods.views lists a int, not an interval name'],
            'periods not an array' => [$periods(['periods' => 'views']), 'counter.periods must map counter keys to lists of intervals'],
            'gauge and counter' => [$periods(['periods' => ['views' => ['day']], 'gauges' => ['views']]), "counter key 'views' is in counter.periods (a counter) and in counter.gauges"],
            'gauges not a list' => [$periods(['gauges' => ['a' => 'b']]), 'counter.gauges must be a list of counter keys'],
            'timezone not a string' => [$periods(['timezone' => 3]), 'counter.timezone must be a time zone name such as Europe/Berlin, got int'],
        ]);
    }

    public function testAnUnknownIntervalInConfigStopsTheFirstIncrementBeforeAnythingIsWritten(): void
    {
        // Settings are read at the first count (or migration), not at boot.
        $this->reboot(['counter' => ['periods' => ['views' => ['dya']]]]);
        $user = (new User())->forceFill(['id' => 5]);
        $this->assertEachRejected([
            'increment' => [fn () => $user->incrementCounter('views'), "counter.periods.views: unknown interval 'dya'"],
        ]);
        $this->assertSame([], $this->redisKeys());
    }
}
