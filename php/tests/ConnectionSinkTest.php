<?php

// Tally\Laravel\Sync\ConnectionSink: the Tally\Sink contract over a Laravel connection,
// on SQLite, PostgreSQL and MariaDB.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use PHPUnit\Framework\Attributes\DataProvider;
use Tally\DatabaseException;
use Tally\Laravel\Sync\ConnectionSink;

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
        $this->assertSame(1, $this->sink->beginRun('other:'));
    }

    #[DataProvider('databases')]
    public function testWriteBatchUpsertsCountPlusDeltaAndReads(string $db): void
    {
        $this->on($db);
        $fence = $this->sink->beginRun('p:');
        $this->sink->writeBatch('p:', $fence, [['User', '1', 'a', 5, 7], ['User', '1', 'b', -2, 7], ['User', '2', 'a', 1, 7]]);
        $this->sink->writeBatch('p:', $fence, [['User', '1', 'a', 3, 8]]);

        $this->assertSame(['a' => [8, 8], 'b' => [-2, 7]], $this->sink->read('User', '1', null));
        $this->assertSame(['a' => [1, 7]], $this->sink->read('User', '2', ['a', 'zz']));
        $this->assertSame([], $this->sink->read('User', '1', []));
        $this->assertSame([], $this->sink->read('Nobody', '1', null));
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
}
