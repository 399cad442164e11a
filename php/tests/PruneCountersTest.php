<?php

// counter:prune on SQLite, MariaDB and PostgreSQL: exactly the period rows before each
// interval's window go, in batches; lifetime rows and periods inside the window stay; a dry
// run only counts; bad options and bad config change nothing.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Database\ConnectionInterface;
use Illuminate\Support\Carbon;
use PHPUnit\Framework\Attributes\DataProvider;
use Tally\InvalidArgumentException;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Retention;
use Tally\Laravel\Settings;

final class PruneCountersTest extends TestCase
{
    protected function tearDown(): void
    {
        Carbon::setTestNow();
        parent::tearDown();
    }

    /** @return array<string,array{string}> */
    public static function databases(): array
    {
        return ['sqlite' => ['sqlite'], 'mariadb' => ['mariadb'], 'pgsql' => ['pgsql']];
    }

    /**
     * 2026-04-10 with the default retention: days from 2026-01-10 (90 days back) are kept,
     * weeks from Monday 2025-04-07 (the ISO week of 2025-04-10, 365 days back); months,
     * quarters, years and lifetime counters stay whatever their age.
     */
    #[DataProvider('databases')]
    public function testRemovesExactlyThePeriodsBeforeEachWindow(string $db): void
    {
        $this->useDatabase($db);
        $this->migrate();
        Carbon::setTestNow(Carbon::parse('2026-04-10 12:00:00', 'UTC'));
        $this->insert([
            ['day', '2025-12-31'], ['day', '2026-01-08'], ['day', '2026-01-09'],
            ['day', '2026-01-10'], ['day', '2026-01-11'], ['day', '2026-04-10'],
            ['week', '2025-03-31'], ['week', '2025-04-07'], ['week', '2026-04-06'],
            ['month', '2001-01-01'], ['quarter', '2001-01-01'], ['year', '2001-01-01'],
            ['', '1970-01-01'],
        ]);
        $this->insert([['day', '2026-01-09'], ['', '1970-01-01']], 'user', '2', 'views');

        [$code, $out] = $this->artisan('counter:prune');
        $this->assertSame(0, $code, $out);
        $this->assertReported($out, 'day', '90', '2026-01-10', 4, 1);
        $this->assertReported($out, 'week', '365', '2025-04-07', 1, 1);
        foreach (['month', 'quarter', 'year'] as $interval) {
            $this->assertReported($out, $interval, 'forever', '', 0, 0);
        }
        $this->assertStringContainsString('5 period row(s) removed.', $out);
        $this->assertSame([
            'day|2026-01-10|user|1|downloads', 'day|2026-01-11|user|1|downloads', 'day|2026-04-10|user|1|downloads',
            'month|2001-01-01|user|1|downloads', 'quarter|2001-01-01|user|1|downloads',
            'week|2025-04-07|user|1|downloads', 'week|2026-04-06|user|1|downloads',
            'year|2001-01-01|user|1|downloads',
            '|1970-01-01|user|1|downloads', '|1970-01-01|user|2|views',
        ], $this->rows());

        // Nothing left to do: a second run removes nothing.
        [$code, $out] = $this->artisan('counter:prune');
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('0 period row(s) removed.', $out);
        $this->assertCount(10, $this->rows());
    }

    /** counter.retention from config: every interval can be given days, or null. */
    public function testRetentionFromConfig(): void
    {
        $this->reboot(['counter' => ['retention' => ['day' => 7, 'week' => null, 'month' => 31]]]);
        $this->migrate();
        $this->assertSame(['day' => 7, 'week' => null, 'month' => 31, 'quarter' => null, 'year' => null],
            $this->app->make(Settings::class)->retention->days);
        Carbon::setTestNow(Carbon::parse('2026-03-31 08:00:00', 'UTC'));
        $this->insert([
            ['day', '2026-03-23'], ['day', '2026-03-24'],
            ['week', '2020-01-06'],
            ['month', '2026-01-01'], ['month', '2026-02-01'], ['month', '2026-03-01'],
        ]);

        [$code, $out] = $this->artisan('counter:prune');
        $this->assertSame(0, $code, $out);
        $this->assertReported($out, 'day', '7', '2026-03-24', 1, 1);
        $this->assertReported($out, 'week', 'forever', '', 0, 0);
        $this->assertReported($out, 'month', '31', '2026-02-01', 1, 1);   // 31 days back is 2026-02-28
        $this->assertSame([
            'day|2026-03-24|user|1|downloads', 'month|2026-02-01|user|1|downloads',
            'month|2026-03-01|user|1|downloads', 'week|2020-01-06|user|1|downloads',
        ], $this->rows());
    }

    /** --older-than replaces the retention of --interval, or of every interval (even "forever" ones). */
    #[DataProvider('databases')]
    public function testOlderThanOverridesTheRetention(string $db): void
    {
        $this->useDatabase($db);
        $this->migrate();
        Carbon::setTestNow(Carbon::parse('2026-04-10 12:00:00', 'UTC'));
        $this->insert([
            ['day', '2026-04-09'], ['day', '2026-04-10'],
            ['week', '2026-03-30'], ['week', '2026-04-06'],
            ['month', '2026-02-01'], ['month', '2026-03-01'], ['month', '2026-04-01'],
            ['quarter', '2026-01-01'], ['quarter', '2026-04-01'],
            ['year', '2025-01-01'], ['year', '2026-01-01'],
            ['', '1970-01-01'],
        ]);

        // 30 days back is 2026-03-11: March stays whole, February goes; other intervals untouched.
        [$code, $out] = $this->artisan('counter:prune', ['--interval' => 'month', '--older-than' => '30']);
        $this->assertSame(0, $code, $out);
        $this->assertReported($out, 'month', '30', '2026-03-01', 1, 1);
        $this->assertDoesNotMatchRegularExpression('/^\| (day|week|quarter|year) /m', $out);
        $this->assertCount(11, $this->rows());
        $this->assertNotContains('month|2026-02-01|user|1|downloads', $this->rows());

        // An interval alone takes its retention from config: days keep 90, nothing goes.
        [$code, $out] = $this->artisan('counter:prune', ['--interval' => 'day']);
        $this->assertSame(0, $code, $out);
        $this->assertReported($out, 'day', '90', '2026-01-10', 0, 0);
        $this->assertDoesNotMatchRegularExpression('/^\| (week|month|quarter|year) /m', $out);

        // 0 days: only the current period of each interval stays; lifetime still untouched.
        [$code, $out] = $this->artisan('counter:prune', ['--older-than' => '0']);
        $this->assertSame(0, $code, $out);
        $this->assertReported($out, 'day', '0', '2026-04-10', 1, 1);
        $this->assertReported($out, 'week', '0', '2026-04-06', 1, 1);
        $this->assertReported($out, 'month', '0', '2026-04-01', 1, 1);
        $this->assertReported($out, 'quarter', '0', '2026-04-01', 1, 1);
        $this->assertReported($out, 'year', '0', '2026-01-01', 1, 1);
        $this->assertSame([
            'day|2026-04-10|user|1|downloads', 'month|2026-04-01|user|1|downloads', 'quarter|2026-04-01|user|1|downloads',
            'week|2026-04-06|user|1|downloads', 'year|2026-01-01|user|1|downloads', '|1970-01-01|user|1|downloads',
        ], $this->rows());
    }

    /**
     * "Today" is the date in counter.timezone (else app.timezone): 2026-04-10 23:30 UTC is
     * already 2026-04-11 in Berlin, so 90 days back is 2026-01-11 and 2026-01-10 goes.
     */
    public function testTodayIsTheDateInTheCounterTimeZone(): void
    {
        $this->migrate();
        Carbon::setTestNow(Carbon::parse('2026-04-10 23:30:00', 'UTC'));
        $this->insert([['day', '2026-01-10'], ['day', '2026-01-11']]);

        [$code, $out] = $this->artisan('counter:prune', ['--dry-run' => true]);
        $this->assertSame(0, $code, $out);
        $this->assertReported($out, 'day', '90', '2026-01-10', 0, 0);

        $berlin = [
            ['counter' => ['timezone' => 'Europe/Berlin']],
            ['app' => ['timezone' => 'Europe/Berlin']],
            ['counter' => ['timezone' => ''], 'app' => ['timezone' => 'Europe/Berlin']],   // COUNTER_TIMEZONE= (empty): unset
        ];
        foreach ($berlin as $config) {
            $this->reboot($config);
            $this->migrate();
            $this->insert([['day', '2026-01-10'], ['day', '2026-01-11']]);
            [$code, $out] = $this->artisan('counter:prune');
            $this->assertSame(0, $code, $out);
            $this->assertReported($out, 'day', '90', '2026-01-11', 1, 1);
            $this->assertSame(['day|2026-01-11|user|1|downloads'], $this->rows());
        }
    }

    /** More rows than a batch: every one goes, in id order, a batch per DELETE. */
    #[DataProvider('databases')]
    public function testDeletesInBatches(string $db): void
    {
        $this->useDatabase($db);
        $this->migrate();
        Carbon::setTestNow(Carbon::parse('2026-04-10 12:00:00', 'UTC'));
        $rows = [];
        for ($i = 0; $i < 2345; $i++) {
            // Expired and kept rows interleaved in id order, as a live table has them.
            $rows[] = $this->row('day', $i % 10 === 0 ? '2026-03-01' : '2025-06-01', 'user', (string) $i);
        }
        foreach (array_chunk($rows, 500) as $chunk) {
            $this->connection()->table('model_counters')->insert($chunk);
        }
        $this->insert([['', '1970-01-01']]);

        [$code, $out] = $this->artisan('counter:prune', ['--dry-run' => true]);
        $this->assertSame(0, $code, $out);
        $this->assertReported($out, 'day', '90', '2026-01-10', 2110, 0);
        $this->assertSame(2346, $this->connection()->table('model_counters')->count());

        [$code, $out] = $this->artisan('counter:prune', ['--batch-size' => '1000']);
        $this->assertSame(0, $code, $out);
        $this->assertReported($out, 'day', '90', '2026-01-10', 2110, 3);
        $this->assertSame(235, $this->connection()->table('model_counters')->where('period', 'day')->where('period_start', '2026-03-01')->count());
        $this->assertSame(236, $this->connection()->table('model_counters')->count());

        // Small batches, and the last one exactly full: one more SELECT finds nothing.
        $this->connection()->table('model_counters')->insert(array_map(
            fn (int $i): array => $this->row('week', '2020-01-06', 'doc', (string) $i), range(1, 30)
        ));
        [$code, $out] = $this->artisan('counter:prune', ['--interval' => 'week', '--batch-size' => '7']);
        $this->assertSame(0, $code, $out);
        $this->assertReported($out, 'week', '365', '2025-04-07', 30, 5);
        [$code, $out] = $this->artisan('counter:prune', ['--interval' => 'day', '--older-than' => '0', '--batch-size' => '47']);
        $this->assertSame(0, $code, $out);
        $this->assertReported($out, 'day', '0', '2026-04-10', 235, 5);
        $this->assertSame(['|1970-01-01|user|1|downloads'], $this->rows());
    }

    #[DataProvider('databases')]
    public function testDryRunDeletesNothing(string $db): void
    {
        $this->useDatabase($db);
        $this->migrate();
        Carbon::setTestNow(Carbon::parse('2026-04-10 12:00:00', 'UTC'));
        $this->insert([['day', '2025-01-01'], ['day', '2025-01-02'], ['week', '2024-01-01'], ['day', '2026-04-10'], ['', '1970-01-01']]);
        $before = $this->rows();

        [$code, $out] = $this->artisan('counter:prune', ['--dry-run' => true]);
        $this->assertSame(0, $code, $out);
        $this->assertReported($out, 'day', '90', '2026-01-10', 2, 0);
        $this->assertReported($out, 'week', '365', '2025-04-07', 1, 0);
        $this->assertStringContainsString('would remove', $out);
        $this->assertStringContainsString('Dry run: 3 period row(s) would be removed; nothing was deleted.', $out);
        $this->assertSame($before, $this->rows());
    }

    /** Through counter.connection and counter.table_name, as the sync writes: not the default connection. */
    public function testPrunesTheCountersConnectionAndTable(): void
    {
        $this->reboot([
            'database' => ['connections' => ['pgsql' => $this->serverConnection('pgsql')]],
            'counter' => ['connection' => 'pgsql', 'table_name' => 'counts'],
        ]);
        $this->migrate();
        $pgsql = $this->app->make('db')->connection('pgsql');
        $pgsql->table('counts')->insert([$this->row('day', '2025-01-01'), $this->row('day', '2026-04-10')]);
        Carbon::setTestNow(Carbon::parse('2026-04-10 12:00:00', 'UTC'));

        [$code, $out] = $this->artisan('counter:prune');
        $this->assertSame(0, $code, $out);
        $this->assertReported($out, 'day', '90', '2026-01-10', 1, 1);
        $this->assertSame(['2026-04-10'], $pgsql->table('counts')->pluck('period_start')->map(fn ($d) => substr((string) $d, 0, 10))->all());
    }

    public function testHelpStatesTheRule(): void
    {
        [$code, $out] = $this->artisan('help', ['command_name' => 'counter:prune']);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('Delete period counters older than their retention (counter.retention), in small batches', $out);
        foreach (['--older-than', '--interval', '--dry-run', '--batch-size'] as $option) {
            $this->assertStringContainsString($option, $out);
        }
        $flat = preg_replace('/\s+/', ' ', $out);
        $this->assertStringContainsString('is removed when its period_start is before the start of the period that contains the day N days ago', $flat);
        $this->assertStringContainsString('Lifetime counters are never touched', $flat);
    }

    public function testBadOptionsExitOneAndDeleteNothing(): void
    {
        $this->migrate();
        Carbon::setTestNow(Carbon::parse('2026-04-10 12:00:00', 'UTC'));
        $this->insert([['day', '2020-01-01'], ['week', '2020-01-06'], ['month', '2020-01-01']]);
        $before = $this->rows();
        $cases = [
            [['--interval' => 'hour'], "--interval: unknown interval 'hour' (day, week, month, quarter or year)"],
            [['--interval' => ''], "--interval: unknown interval '' (day, week, month, quarter or year)"],
            [['--interval' => 'Day'], "--interval: unknown interval 'Day' (day, week, month, quarter or year)"],
            [['--older-than' => '-1'], "--older-than must be a whole number of days from 0 to 100000, got '-1'"],
            [['--older-than' => '1.5'], "--older-than must be a whole number of days from 0 to 100000, got '1.5'"],
            [['--older-than' => 'ten'], "--older-than must be a whole number of days from 0 to 100000, got 'ten'"],
            [['--older-than' => ''], "--older-than must be a whole number of days from 0 to 100000, got ''"],
            [['--older-than' => '100001'], "--older-than must be a whole number of days from 0 to 100000, got '100001'"],
            [['--older-than' => '30', '--interval' => 'hour'], "--interval: unknown interval 'hour' (day, week, month, quarter or year)"],
            [['--batch-size' => '0'], "--batch-size must be a whole number from 1 to 10000, got '0'"],
            [['--batch-size' => '10001'], "--batch-size must be a whole number from 1 to 10000, got '10001'"],
        ];
        foreach ($cases as [$options, $message]) {
            [$code, $out] = $this->artisan('counter:prune', $options);
            $this->assertSame(1, $code, $out);
            $this->assertSame($message, trim($out), json_encode($options));
        }
        $this->assertSame($before, $this->rows());
    }

    public function testBadRetentionConfigIsATypedErrorNamingTheKey(): void
    {
        $cases = [
            [['minute' => 5], "counter.retention: unknown interval 'minute' (day, week, month, quarter or year)"],
            [['day' => -1], 'counter.retention.day must be a whole number of days from 0 to 100000, or null to keep day periods forever; got -1'],
            [['week' => 1.5], 'counter.retention.week must be a whole number of days from 0 to 100000, or null to keep week periods forever; got 1.5'],
            [['month' => 'forever'], "counter.retention.month must be a whole number of days from 0 to 100000, or null to keep month periods forever; got 'forever'"],
            [['year' => 100001], 'counter.retention.year must be a whole number of days from 0 to 100000, or null to keep year periods forever; got 100001'],
        ];
        foreach ($cases as [$retention, $message]) {
            try {
                Retention::fromArray(['retention' => $retention]);
                $this->fail('accepted ' . json_encode($retention));
            } catch (InvalidArgumentException $e) {
                $this->assertSame($message, $e->getMessage());
            }
        }
        $this->assertSame(['day' => 90, 'week' => 365, 'month' => null, 'quarter' => 10, 'year' => null],
            Retention::fromArray(['retention' => ['quarter' => '10']])->days);
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage("counter.retention must map intervals to days or null, e.g. ['day' => 90, 'month' => null]");
        Retention::fromArray(['retention' => 90]);
    }

    public function testUnknownTimeZoneIsATypedErrorAndNothingIsDeleted(): void
    {
        $this->reboot(['counter' => ['timezone' => 'Mars/Olympus_Mons']]);
        $this->migrate();
        $this->insert([['day', '2020-01-01']]);
        try {
            $this->artisan('counter:prune');
            $this->fail('pruned with an unknown time zone');
        } catch (InvalidArgumentException $e) {
            $this->assertSame("counter.timezone 'Mars/Olympus_Mons' is not a time zone PHP knows (a name from timezone_identifiers_list(), such as Europe/Berlin)", $e->getMessage());
        }
        $this->assertSame(['day|2020-01-01|user|1|downloads'], $this->rows());
    }

    public function testMissingTableExitsOneNamingIt(): void
    {
        [$code, $out] = $this->artisan('counter:prune');
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString("counter:prune failed on the day rows of 'model_counters' (connection 'testing'): ", $out);
        $this->assertStringContainsString('no such table', $out);
    }

    /** The rule alone, at the edges of each interval: ISO weeks start on Monday, quarters on months 1, 4, 7, 10. */
    public function testFirstKeptPeriodStart(): void
    {
        $cases = [
            // [interval, days, today, first period start kept]
            ['day', 0, '2026-03-01', '2026-03-01'],
            ['day', 1, '2026-03-01', '2026-02-28'],
            ['day', 1, '2024-03-01', '2024-02-29'],
            ['week', 0, '2026-04-12', '2026-04-06'],   // a Sunday: its ISO week began on Monday
            ['week', 0, '2026-04-13', '2026-04-13'],   // a Monday
            ['week', 7, '2026-01-04', '2025-12-22'],
            ['month', 0, '2026-04-30', '2026-04-01'],
            ['month', 30, '2026-03-30', '2026-02-01'],
            ['month', 29, '2026-03-30', '2026-03-01'],
            ['quarter', 0, '2026-06-30', '2026-04-01'],
            ['quarter', 1, '2026-07-01', '2026-04-01'],
            ['quarter', 0, '2026-12-31', '2026-10-01'],
            ['year', 0, '2026-12-31', '2026-01-01'],
            ['year', 364, '2026-12-31', '2026-01-01'],
            ['year', 365, '2026-12-31', '2025-01-01'],
        ];
        foreach ($cases as [$interval, $days, $today, $kept]) {
            $this->assertSame($kept, Retention::firstKept(Interval::from($interval), $days, new \DateTimeImmutable("$today 23:59:59")), "$interval $days $today");
        }
        // The civil date in the given zone: not converted to UTC first.
        $this->assertSame('2026-04-11', Retention::firstKept(Interval::Day, 0, new \DateTimeImmutable('2026-04-11 00:30', new \DateTimeZone('Pacific/Kiritimati'))));
    }

    /** @param list<array{string,string}> $periods [period, period_start] rows of one counter */
    private function insert(array $periods, string $type = 'user', string $id = '1', string $key = 'downloads'): void
    {
        $this->connection()->table('model_counters')->insert(array_map(
            fn (array $p): array => $this->row($p[0], $p[1], $type, $id, $key), $periods
        ));
    }

    /** @return array<string,mixed> */
    private function row(string $period, string $start, string $type = 'user', string $id = '1', string $key = 'downloads'): array
    {
        return ['owner_type' => $type, 'owner_id' => $id, 'key' => $key, 'period' => $period,
                'period_start' => $start, 'count' => 3, 'sync_seq' => 1];
    }

    private function connection(): ConnectionInterface
    {
        return $this->app->make('db')->connection();
    }

    /** @return list<string> "period|period_start|owner_type|owner_id|key" of every row, sorted (lifetime, "|…", last) */
    private function rows(): array
    {
        $rows = $this->connection()->table('model_counters')->get()
            ->map(fn ($r): string => sprintf('%s|%s|%s|%s|%s', $r->period, substr((string) $r->period_start, 0, 10), $r->owner_type, $r->owner_id, $r->key))
            ->all();
        sort($rows);

        return $rows;
    }

    private function assertReported(string $out, string $interval, string $days, string $keptFrom, int $removed, int $batches): void
    {
        $cell = fn (string|int $v): string => '\s*' . preg_quote((string) $v, '/') . '\s*\|';
        $this->assertMatchesRegularExpression(
            '/^\|' . $cell($interval) . $cell($days) . $cell($keptFrom) . $cell($removed) . $cell($batches) . '$/m',
            $out
        );
    }
}
