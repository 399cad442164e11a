<?php

// Counter::incrementMany()/decrementMany() over keys declaring different periods: one call,
// every key feeding its own periods, all or nothing (an overflow anywhere applies nothing).

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\Carbon;
use PHPUnit\Framework\Attributes\DataProvider;
use Tally\Laravel\Counter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Tests\Fixtures\Article;
use Tally\OverflowException;

final class IncrementManyAtomicTest extends TestCase
{
    protected function tearDown(): void
    {
        Carbon::setTestNow();
        parent::tearDown();
    }

    /** @return array<string,array{bool}> */
    public static function engines(): array
    {
        return ['real engine' => [false], 'Counter::fake()' => [true]];
    }

    #[DataProvider('engines')]
    public function testKeysWithDifferentDeclaredPeriodsAreOneAllOrNothingWrite(bool $fake): void
    {
        $this->useDatabase('sqlite', ['counter' => ['timezone' => 'UTC']]);
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-12-02 10:00:00', 'UTC'));
        if ($fake) {
            Counter::fake();
        }
        $a = Article::create();   // views: lifetime + day, week, month; downloads: lifetime + day; shares: lifetime

        Counter::incrementMany($a, ['views' => 2, 'downloads' => 5, 'shares' => 1]);
        $read = fn (): array => [
            Counter::get($a, 'views'), Counter::get($a, 'views', Interval::Day), Counter::get($a, 'views', Interval::Week),
            Counter::get($a, 'views', Interval::Month), Counter::get($a, 'downloads'), Counter::get($a, 'downloads', Interval::Day),
            Counter::get($a, 'downloads', Interval::Month), Counter::get($a, 'shares'), Counter::get($a, 'shares', Interval::Day),
        ];
        $this->assertSame([2, 2, 2, 2, 5, 5, 0, 1, 0], $read());

        Counter::increment($a, 'downloads', PHP_INT_MAX - 5, Interval::Day);
        try {
            Counter::incrementMany($a, ['views' => 1, 'shares' => 1, 'downloads' => 1]);
            $this->fail('no overflow');
        } catch (OverflowException) {
        }
        $this->assertSame([2, 2, 2, 2, 5, PHP_INT_MAX, 0, 1, 0], $read());

        Counter::decrementMany($a, ['views' => 1, 'shares' => 1]);
        $this->assertSame([1, 1, 1, 1, 5, PHP_INT_MAX, 0, 0, 0], $read());
    }
}
