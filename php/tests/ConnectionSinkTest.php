<?php

// Tally\Laravel\Sync\ConnectionSink: the Tally\NarrowingSink contract over a Laravel
// connection, on SQLite, PostgreSQL and MariaDB.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use PHPUnit\Framework\Attributes\DataProvider;
use Tally\DatabaseException;
use Tally\Laravel\Sync\ConnectionSink;
use Tally\RejectedException;

final class ConnectionSinkTest extends TestCase
{
    private ConnectionSink $sink;

    /** @return array<string,array{string}> */
    public static function databases(): array
    {
        return ['sqlite' => ['sqlite'], 'pgsql' => ['pgsql'], 'mariadb' => ['mariadb']];
    }

    private function on(string $db): void
    {
        if ($db !== 'sqlite') {
            $this->useDatabase($db);
        }
        $this->migrate();
        $this->sink = new ConnectionSink($this->app->make('db')->connection(), 'model_counters');
    }

    #[DataProvider('databases')]
    public function testBeginRunTakesANewFenceEachTime(string $db): void
    {
        $this->on($db);
        $this->assertSame(1, $this->sink->beginRun('p:'));
        $this->assertSame(2, $this->sink->beginRun('p:'));
        // Above every prefix's fence, so that a seq names one claim in the whole table.
        $this->assertSame(3, $this->sink->beginRun('other:'));
        $this->assertSame(4, $this->sink->beginRun('p:'));
        $this->assertSame(['other:' => 3, 'p:' => 4], $this->app->make('db')->connection()->table('model_counters_sync')
            ->orderBy('name')->pluck('fence', 'name')->map(fn ($f) => (int) $f)->all());
    }

    #[DataProvider('databases')]
    public function testWriteBatchUpsertsCountPlusDeltaAndReads(string $db): void
    {
        $this->on($db);
        $fence = $this->sink->beginRun('p:');
        $this->sink->writeBatch('p:', $fence, [['User', '1', 'a', 5, 7], ['User', '1', 'b', -2, 7], ['User', '2', 'a', 1, 7]]);
        $this->sink->writeBatch('p:', $fence, [['User', '1', 'a', 3, 8]]);

        $this->assertSame([['a', '1970-01-01', 8, 8], ['b', '1970-01-01', -2, 7]], $this->sorted($this->sink->read('User', '1', null)));
        $this->assertSame([['a', '1970-01-01', 1, 7]], $this->sink->read('User', '2', ['a', 'zz']));
        $this->assertSame([], $this->sink->read('User', '1', []));
        $this->assertSame([], $this->sink->read('Nobody', '1', null));
    }

    #[DataProvider('databases')]
    public function testPeriodRowsAreCountersOfTheirOwnAndReadsAskForAPeriod(string $db): void
    {
        $this->on($db);
        $fence = $this->sink->beginRun('p:');
        $day = ['period' => 'day', 'period_start' => '2025-03-01'];
        $this->sink->writeBatch('p:', $fence, [
            ['User', '1', 'a', 5, 7, 'period' => '', 'period_start' => '1970-01-01'],
            ['User', '1', 'a', 2, 7] + $day,
            ['User', '1', 'a', 1, 7, 'period' => 'day', 'period_start' => '2025-03-02'],
            ['User', '1', 'a', 4, 7, 'period' => 'month', 'period_start' => '2025-03-01'],
        ]);
        $this->sink->writeBatch('p:', $fence, [['User', '1', 'a', 3, 8] + $day]);

        $this->assertSame([['a', '1970-01-01', 5, 7]], $this->sink->read('User', '1', null));
        $this->assertSame([['a', '2025-03-01', 5, 8], ['a', '2025-03-02', 1, 7]], $this->sorted($this->sink->read('User', '1', ['a'], 'day', '2025-03-01', '2025-03-31')));
        $this->assertSame([['a', '2025-03-02', 1, 7]], $this->sink->read('User', '1', null, 'day', '2025-03-02', '2025-03-02'));
        $this->assertSame([['a', '2025-03-01', 4, 7]], $this->sink->read('User', '1', null, 'month', '2025-01-01', '2025-12-31'));
        $this->assertSame([true, true, false], [$this->sink->committed('User', '1', 8), $this->sink->committed('User', '1', 7), $this->sink->committed('User', '1', 9)]);
        $rows = $this->app->make('db')->connection()->table('model_counters')
            ->orderBy('period')->orderBy('period_start')->get()
            ->map(fn ($r): string => sprintf('%s %s %d %d', $r->period, substr((string) $r->period_start, 0, 10), $r->count, $r->sync_seq))
            ->all();
        $this->assertSame([' 1970-01-01 5 7', 'day 2025-03-01 5 8', 'day 2025-03-02 1 7', 'month 2025-03-01 4 7'], $rows);
    }

    #[DataProvider('databases')]
    public function testStaleFenceWritesNothing(string $db): void
    {
        $this->on($db);
        $old = $this->sink->beginRun('p:');
        $this->sink->beginRun('p:');
        try {
            $this->sink->writeBatch('p:', $old, [['User', '1', 'a', 5, 1]]);
            $this->fail('a superseded run wrote');
        } catch (DatabaseException $e) {
            $this->assertSame('sync run for p: was superseded: fence is 2, this run holds 1', $e->getMessage());
        }
        $this->assertSame([], $this->sink->read('User', '1', null));
    }

    #[DataProvider('databases')]
    public function testABatchIsOneTransaction(string $db): void
    {
        $this->on($db);
        $fence = $this->sink->beginRun('p:');
        $rows = [];
        for ($i = 0; $i < 250; $i++) {   // three INSERT statements
            $rows[] = ['User', (string) $i, 'a', 1, 1];
        }
        $rows[] = ['User', '1', str_repeat('k', 100), PHP_INT_MAX, 1];
        $rows[] = ['User', '1', str_repeat('k', 100), 1, 1];   // a duplicate the engine never sends: the DB rejects it
        try {
            $this->sink->writeBatch('p:', $fence, $rows);
            $this->fail('the batch was accepted');
        } catch (DatabaseException $e) {
            $this->assertStringStartsWith("$db connection '" . ($db === 'sqlite' ? 'testing' : $db) . "': writing a batch: SQLSTATE", $e->getMessage());
            $this->assertInstanceOf(\Illuminate\Database\QueryException::class, $e->getPrevious());
        }
        $this->assertSame(0, $this->app->make('db')->connection()->table('model_counters')->count());
    }

    #[DataProvider('databases')]
    public function testTryBatchWritesNothing(string $db): void
    {
        $this->on($db);
        $fence = $this->sink->beginRun('p:');
        $this->sink->tryBatch('p:', $fence, [['User', '1', 'a', 5, 1], ['User', '2', 'a', 1, 1]]);
        $this->assertSame([], $this->sink->read('User', '1', null));
        $this->assertSame(0, $this->app->make('db')->connection()->table('model_counters')->count());
        $this->sink->writeBatch('p:', $fence, [['User', '1', 'a', 5, 1]]);
        $this->assertSame([['a', '1970-01-01', 5, 1]], $this->sink->read('User', '1', null));
    }

    #[DataProvider('databases')]
    public function testACountBeyondBigintIsARejectedExceptionFromWriteAndTry(string $db): void
    {
        $this->on($db);
        $fence = $this->sink->beginRun('p:');
        $this->sink->writeBatch('p:', $fence, [['User', '1', 'a', PHP_INT_MAX - 1, 1]]);
        // 22003 numeric value out of range; SQLite's schema CHECK (typeof(count) = 'integer') is 23000.
        $state = $db === 'sqlite' ? '23000' : '22003';
        foreach (['writeBatch', 'tryBatch'] as $method) {
            try {
                $this->sink->$method('p:', $fence, [['User', '2', 'a', 1, 2], ['User', '1', 'a', 5, 2]]);
                $this->fail("$method accepted a count beyond BIGINT");
            } catch (RejectedException $e) {
                $this->assertStringStartsWith(
                    "$db connection '" . ($db === 'sqlite' ? 'testing' : $db) . "': writing a batch: SQLSTATE[$state]",
                    $e->getMessage()
                );
                $this->assertInstanceOf(\Illuminate\Database\QueryException::class, $e->getPrevious());
            }
        }
        $this->assertSame([['a', '1970-01-01', PHP_INT_MAX - 1, 1]], $this->sink->read('User', '1', null));
        $this->assertSame([], $this->sink->read('User', '2', null));
    }

    /** @return array<string,array{string}> where an upsert can hit a unique index it does not name */
    public static function upsertTargets(): array
    {
        return ['sqlite' => ['sqlite'], 'pgsql' => ['pgsql']];
    }

    #[DataProvider('upsertTargets')]
    public function testAStaleFenceOrAnotherUniqueIndexIsNotARejection(string $db): void
    {
        $this->on($db);
        $old = $this->sink->beginRun('p:');
        $fence = $this->sink->beginRun('p:');
        $caught = [];
        $calls = [
            fn () => $this->sink->tryBatch('p:', $old, [['User', '1', 'a', 5, 1]]),
            function () use ($fence): void {
                $this->app->make('db')->connection()->statement('CREATE UNIQUE INDEX one_count_per_type ON model_counters (owner_type, count)');
                $this->sink->tryBatch('p:', $fence, [['User', '1', 'a', 5, 1], ['User', '2', 'a', 5, 1]]);
            },
        ];
        foreach ($calls as $call) {
            try {
                $call();
                $this->fail('the batch was accepted');
            } catch (DatabaseException $e) {
                $caught[] = get_class($e) . ': ' . preg_replace('/(SQLSTATE\[\w+\]).*/s', '$1', $e->getMessage());
            }
        }
        $this->assertSame([
            'Tally\DatabaseException: sync run for p: was superseded: fence is 2, this run holds 1',
            "Tally\DatabaseException: $db connection '" . ($db === 'sqlite' ? 'testing' : $db) . "': writing a batch: SQLSTATE[" . ($db === 'sqlite' ? '23000' : '23505') . ']',
        ], $caught);
    }

    #[DataProvider('databases')]
    public function testMissingTablesAreATypedErrorThatSaysToMigrate(string $db): void
    {
        if ($db !== 'sqlite') {
            $this->useDatabase($db);
        }
        $sink = new ConnectionSink($this->app->make('db')->connection(), 'model_counters');
        foreach (['taking the sync fence' => fn () => $sink->beginRun('p:'), 'reading counters' => fn () => $sink->read('User', '1', null)] as $what => $call) {
            try {
                $call();
                $this->fail("$what worked without tables");
            } catch (DatabaseException $e) {
                $this->assertStringContainsString(": $what: SQLSTATE", $e->getMessage());
                $this->assertStringEndsWith('; the tables model_counters and model_counters_sync must exist: run `php artisan migrate`', $e->getMessage());
            }
        }
    }

    /**
     * read()'s rows in a stable order (the sink promises none).
     *
     * @param list<array{string,string,int,int}> $rows
     * @return list<array{string,string,int,int}>
     */
    private function sorted(array $rows): array
    {
        usort($rows, fn (array $a, array $b): int => [$a[0], $a[1]] <=> [$b[0], $b[1]]);

        return $rows;
    }
}
