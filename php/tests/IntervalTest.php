<?php

// Tally\Laravel\Enums\Interval: period starts, ends and keys, ISO weeks whatever the locale,
// previousPeriods() without skips, and "now" in counter.timezone.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\Carbon;
use Tally\Laravel\Clock;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Tests\Fixtures\AssertsRejections;

final class IntervalTest extends TestCase
{
    use AssertsRejections;

    protected function tearDown(): void
    {
        Carbon::setTestNow();
        Carbon::setLocale('en');
        parent::tearDown();
    }

    public function testValuesAndLabelsAreThePeers(): void
    {
        $this->assertSame(['day', 'week', 'month', 'quarter', 'year'], array_map(fn (Interval $i) => $i->value, Interval::cases()));
        $this->assertSame(['Daily', 'Weekly', 'Monthly', 'Quarterly', 'Yearly'], array_map(fn (Interval $i) => $i->label(), Interval::cases()));
        $this->assertSame(Interval::Quarter, Interval::fromName('quarter'));
    }

    public function testStartsEndsAndKeysOfEachInterval(): void
    {
        $at = Carbon::parse('2026-05-14 15:20:00', 'UTC');   // a Thursday in Q2, ISO week 20
        $expect = [
            'day' => ['2026-05-14 00:00:00', '2026-05-14 23:59:59', '2026-05-14'],
            'week' => ['2026-05-11 00:00:00', '2026-05-17 23:59:59', '2026-20'],
            'month' => ['2026-05-01 00:00:00', '2026-05-31 23:59:59', '2026-05'],
            'quarter' => ['2026-04-01 00:00:00', '2026-06-30 23:59:59', '2026-Q2'],
            'year' => ['2026-01-01 00:00:00', '2026-12-31 23:59:59', '2026'],
        ];
        foreach (Interval::cases() as $interval) {
            $this->assertSame($expect[$interval->value], [
                $interval->periodStart($at)->format('Y-m-d H:i:s'),
                $interval->periodEnd($at)->format('Y-m-d H:i:s'),
                $interval->periodKey($at),
            ], $interval->value);
        }
        $this->assertSame('2026-05-14 15:20:00', $at->format('Y-m-d H:i:s'), 'the argument is not changed');
        $this->assertSame('Europe/Berlin', Interval::Day->periodStart(Carbon::parse('2026-05-14 01:00', 'Europe/Berlin'))->tzName);
    }

    public function testWeeksAreIsoWeeksWhateverCarbonsLocaleSays(): void
    {
        Carbon::setLocale('en_US');   // a locale whose weeks start on Sunday
        $sunday = Carbon::parse('2026-01-04 12:00', 'UTC');
        $this->assertSame('2025-12-29', Interval::Week->periodStart($sunday)->format('Y-m-d'));
        $this->assertSame('2026-01-04 23:59:59', Interval::Week->periodEnd($sunday)->format('Y-m-d H:i:s'));
        $this->assertSame('2026-01', Interval::Week->periodKey($sunday));
        // ISO week-numbering year: December 29th, 2025 is in week 1 of 2026.
        $this->assertSame('2026-01', Interval::Week->periodKey(Carbon::parse('2025-12-29', 'UTC')));
        $this->assertSame('2020-53', Interval::Week->periodKey(Carbon::parse('2021-01-03', 'UTC')));
    }

    public function testPreviousPeriodsAreNewestFirstWithoutSkips(): void
    {
        $keys = fn (Interval $i, int $n, string $from): array => array_map(
            fn (Carbon $d): string => $i->periodKey($d),
            $i->previousPeriods($n, Carbon::parse($from, 'UTC'))
        );
        $this->assertSame(['2026-05', '2026-04', '2026-03', '2026-02', '2026-01', '2025-12'], $keys(Interval::Month, 6, '2026-05-31'));
        $this->assertSame(['2026-03', '2026-02', '2026-01'], $keys(Interval::Month, 3, '2026-03-31'));
        $this->assertSame(['2026-Q3', '2026-Q2', '2026-Q1', '2025-Q4'], $keys(Interval::Quarter, 4, '2026-08-31'));
        $this->assertSame(['2026-03-01', '2026-02-28', '2026-02-27'], $keys(Interval::Day, 3, '2026-03-01'));
        $this->assertSame(['2026-01', '2025-52', '2025-51'], $keys(Interval::Week, 3, '2026-01-01'));
        $this->assertSame(['2028', '2027'], $keys(Interval::Year, 2, '2028-02-29'));
        $this->assertSame('2026-05-01 00:00:00', Interval::Month->previousPeriods(1, Carbon::parse('2026-05-31 22:00', 'UTC'))[0]->format('Y-m-d H:i:s'));
        $this->assertCount(1000, Interval::Day->previousPeriods(1000));
    }

    public function testNowIsInTheCounterTimeZone(): void
    {
        // 23:30 UTC on March 31st is 01:30 on April 1st in Berlin (summer time since March 29th).
        Carbon::setTestNow(Carbon::parse('2026-03-31 23:30:00', 'UTC'));
        $this->reboot(['app' => ['timezone' => 'UTC'], 'counter' => ['timezone' => 'Europe/Berlin']]);
        $this->assertSame('2026-04-01 01:30:00 Europe/Berlin', Clock::now()->format('Y-m-d H:i:s e'));
        $this->assertSame('2026-04-01', Clock::today());
        $this->assertSame('2026-04-01', Interval::Day->periodKey());
        $this->assertSame('2026-04', Interval::Month->periodKey());
        $this->assertSame('2026-Q2', Interval::Quarter->periodKey());
        $this->assertSame('2026-03-30 00:00:00 Europe/Berlin', Interval::Week->periodStart()->format('Y-m-d H:i:s e'));

        // Without counter.timezone, app.timezone.
        $this->reboot(['app' => ['timezone' => 'America/New_York']]);
        $this->assertSame('2026-03-31 19:30:00', Clock::now()->format('Y-m-d H:i:s'));
        $this->assertSame('2026-03-31', Interval::Day->periodKey());
    }

    /** On the real clock: a zone change within the same second gives that zone's date at once (UTC+14 and UTC-11 never share one). */
    public function testTodayFollowsTheZoneWithinTheSecond(): void
    {
        Carbon::setTestNow();
        $dates = [];
        foreach (['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Pacific/Kiritimati'] as $zone) {
            $this->reboot(['counter' => ['timezone' => $zone]]);
            $dates[] = [Clock::today(), Clock::today(), (new \DateTimeImmutable('now', new \DateTimeZone($zone)))->format('Y-m-d')];
        }
        foreach ($dates as [$first, $again, $expected]) {
            $this->assertSame($expected, $first);
            $this->assertSame($expected, $again);
        }
        $this->assertNotSame($dates[0][0], $dates[1][0]);
        Carbon::setTestNow(Carbon::parse('2026-03-31 23:30:00', 'UTC'));
        $this->assertSame('2026-04-01', Clock::today());   // the test clock wins over the kept date
    }

    public function testADateArgumentNamesItsOwnCalendarDate(): void
    {
        $this->reboot(['counter' => ['timezone' => 'Pacific/Kiritimati']]);   // UTC+14
        $this->assertSame('2026-03-01', Clock::date(Carbon::parse('2026-03-01 00:00', 'UTC')));
        $this->assertSame('2026-03-01', Clock::date(new \DateTimeImmutable('2026-03-01 23:59', new \DateTimeZone('America/Los_Angeles'))));
        $this->assertSame('2026-02-28', Clock::date('2026-02-28'));
    }

    public function testBadInput(): void
    {
        $this->assertEachRejected([
            'unknown interval name' => [fn () => Interval::fromName('dya', 'counter.periods.views'), "counter.periods.views: unknown interval 'dya' (day, week, month, quarter or year)"],
            'no periods' => [fn () => Interval::Day->previousPeriods(0), 'previousPeriods() $count must be 1 to 1000 periods, 0 given'],
            'too many periods' => [fn () => Interval::Day->previousPeriods(1001), 'previousPeriods() $count must be 1 to 1000 periods, 1001 given'],
            'malformed date' => [fn () => Clock::date('2026-02-30', '$periodStart'), "\$periodStart must be a date 'Y-m-d' or a DateTimeInterface, got '2026-02-30'"],
            'not a date' => [fn () => Clock::date('yesterday', '$at'), "\$at must be a date 'Y-m-d' or a DateTimeInterface, got 'yesterday'"],
        ]);
    }

    public function testAnUnknownTimeZoneIsNamedWhenFirstUsed(): void
    {
        $this->reboot(['counter' => ['timezone' => 'Mars/Olympus_Mons']]);
        $this->assertSame('Mars/Olympus_Mons', $this->app->make(\Tally\Laravel\Settings::class)->periods->timezone);
        $this->assertEachRejected([
            'now' => [fn () => Clock::now(), "counter.timezone 'Mars/Olympus_Mons' is not a time zone PHP knows"],
            'a period' => [fn () => Interval::Day->periodStart(), "counter.timezone 'Mars/Olympus_Mons' is not a time zone PHP knows"],
        ]);
    }
}
