<?php

// Global counters (no owner): every *Global method of Counter, with periods, stored with
// owner type and id '' and kept apart from any owner's counter of the same key.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\Carbon;
use PHPUnit\Framework\Attributes\DataProviderExternal;
use Tally\Laravel\Counter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Tests\Fixtures\ArticleCounter;
use Tally\Laravel\Tests\Fixtures\User;

final class GlobalCountersTest extends TestCase
{
    protected function tearDown(): void
    {
        Carbon::setTestNow();
        parent::tearDown();
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testEveryGlobalMethod(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter + ['timezone' => 'UTC']]);
        $this->migrateWithOwners();
        $user = User::create();
        Carbon::setTestNow(Carbon::parse('2026-06-30 10:00:00', 'UTC'));

        Counter::incrementGlobal('signups', 4);
        Counter::incrementGlobal('signups', 2, Interval::Day);
        Counter::incrementGlobal('signups', 3, Interval::Quarter);
        Counter::decrementGlobal('signups', 1);
        Counter::incrementGlobal(ArticleCounter::Views, 9);
        Counter::incrementGlobal('signups', 6, Interval::Day, '2026-06-29');
        $user->incrementCounter('signups', 100);               // an owner's counter of the same key
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        Carbon::setTestNow(Carbon::parse('2026-07-01 09:00:00', 'UTC'));   // a new day, month and quarter
        Counter::incrementGlobal('signups', 5, Interval::Day);
        Counter::decrementGlobal('signups', 2, Interval::Quarter);

        $this->assertSame(3, Counter::getGlobal('signups'));
        $this->assertSame(5, Counter::getGlobal('signups', Interval::Day));
        $this->assertSame(2, Counter::getGlobal('signups', Interval::Day, '2026-06-30'));
        $this->assertSame(3, Counter::getGlobal('signups', Interval::Quarter, Carbon::parse('2026-05-01')));
        $this->assertSame(-2, Counter::getGlobal('signups', Interval::Quarter));
        $this->assertSame(['views' => 9, 'signups' => 3, 'none' => 0], Counter::getManyGlobal([ArticleCounter::Views, 'signups', 'none']));
        $this->assertSame(['signups' => 2, 'views' => 0], Counter::getManyGlobal(['signups', 'views'], Interval::Day, '2026-06-30'));
        $this->assertSame(['2026-06-29' => 6, '2026-06-30' => 2, '2026-07-01' => 5], Counter::historyGlobal('signups', Interval::Day, 3));
        $this->assertSame(['2026-04-01' => 3, '2026-07-01' => -2], Counter::historyGlobal('signups', Interval::Quarter, 2));
        $this->assertSame(13, Counter::sumGlobal('signups', Interval::Day));
        $this->assertSame(8, Counter::sumGlobal('signups', Interval::Day, null, '2026-06-30'));
        $this->assertSame(1, Counter::sumGlobal('signups', Interval::Quarter, '2026-01-01', '2026-12-31'));
        $this->assertSame(['signups' => 3, 'views' => 9], Counter::all(null));
        $this->assertSame(100, $user->counter('signups'));
        $this->assertSame(0, $user->counter('signups', Interval::Day, '2026-06-30'));

        Counter::setGlobal('signups', 50);
        Counter::setGlobal('signups', 10, Interval::Day, '2026-06-29');
        Counter::resetGlobal('signups', Interval::Quarter);
        Counter::resetGlobal(ArticleCounter::Views);
        $this->assertSame([50, 10, 5, 0, 3, 0], [
            Counter::getGlobal('signups'), Counter::getGlobal('signups', Interval::Day, '2026-06-29'),
            Counter::getGlobal('signups', Interval::Day), Counter::getGlobal('signups', Interval::Quarter),
            Counter::getGlobal('signups', Interval::Quarter, '2026-06-30'), Counter::getGlobal('views'),
        ]);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertEqualsCanonicalizing([
            '||signups||1970-01-01=50',
            '||signups|day|2026-06-29=10',
            '||signups|day|2026-06-30=2',
            '||signups|day|2026-07-01=5',
            '||signups|quarter|2026-04-01=3',
            '||views||1970-01-01=0',
            User::class . "|$user->id|signups||1970-01-01=100",
        ], $this->counterRows());

        $this->assertSame(3, Counter::deleteGlobal('signups', Interval::Day));
        $this->assertSame(0, Counter::sumGlobal('signups', Interval::Day));
        $this->assertSame(2, Counter::deleteGlobal('signups'), 'the lifetime row and the quarter left');
        $this->assertSame(0, Counter::getGlobal('signups'));
        $this->assertSame(100, $user->counter('signups'), "an owner's counter of the same key is not global");
        $this->assertEqualsCanonicalizing(['||views||1970-01-01=0', User::class . "|$user->id|signups||1970-01-01=100"], $this->counterRows());
    }
}
