<?php

// A sync through Laravel's connection (the PHP sink) refuses to start inside an open
// transaction, before it claims anything: a batch there commits only a savepoint, and an
// outer rollback would lose deltas the sync already released from Redis.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Foundation\Testing\DatabaseTransactionsManager;
use PHPUnit\Framework\Attributes\DataProvider;
use Tally\DatabaseException;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Sync\ConnectionSink;
use Tally\Laravel\Tests\Fixtures\User;

final class SyncInsideTransactionTest extends TestCase
{
    /** @return array<string,array{string}> */
    public static function databases(): array
    {
        return ['sqlite' => ['sqlite'], 'pgsql' => ['pgsql'], 'mariadb' => ['mariadb']];
    }

    private function on(string $db, array $counter = []): User
    {
        // MariaDB would get the native sink (its own session, outside Laravel's transactions).
        $changes = ['counter' => $counter + ($db === 'mariadb' ? ['sink' => 'php'] : [])];
        $db === 'sqlite' ? $this->reboot($changes) : $this->useDatabase($db, $changes);
        $this->migrateWithOwners();
        $this->assertInstanceOf(ConnectionSink::class, $this->app->make(CounterManager::class)->sink());

        return User::create();
    }

    /** @return array<string,mixed> the sync report */
    private function sync(): array
    {
        return $this->app->make(CounterManager::class)->sync();
    }

    private function rows(): int
    {
        return (int) $this->app->make('db')->connection()->table('model_counters')->sum('count');
    }

    #[DataProvider('databases')]
    public function testASyncInsideATransactionIsRefusedAndLosesNothingWhenItRollsBack(string $db): void
    {
        $user = $this->on($db);
        $user->incrementCounter('downloads', 5);
        $connection = $this->app->make('db')->connection();
        $name = $connection->getName();

        // A job wrapped in DB::transaction() that syncs, and then fails.
        $connection->beginTransaction();
        try {
            $this->sync();
            $this->fail('no exception');
        } catch (DatabaseException $e) {
            $this->assertSame(
                "counter sync refused: connection '$name' is inside a database transaction (level 1); its batches would "
                . 'commit only with that transaction and be lost if it rolled back. Run counter:sync '
                . 'outside DB::transaction() (in a test with RefreshDatabase or DatabaseTransactions, keep counter.testing_prefix on)',
                $e->getMessage()
            );
        } finally {
            $connection->rollBack();
        }
        $this->assertSame(5, $user->counter('downloads'));
        $this->assertSame(['counter:testing:{' . str_replace('\\', '%5C', User::class) . ':' . $user->id . '}'], $this->redisKeys());

        $report = $this->sync();
        $this->assertSame(1, $report['synced']);
        $this->assertSame(5, $this->rows());
        $this->assertSame(5, $user->counter('downloads'));
    }

    public function testCounterSyncInsideATransactionExitsWithTheReason(): void
    {
        $user = $this->on('sqlite');
        $user->incrementCounter('downloads', 2);
        $this->app->make('db')->connection()->transaction(function (): void {
            [$code, $out] = $this->artisan('counter:sync');
            $this->assertSame(1, $code, $out);
            $this->assertStringContainsString("counter sync refused: connection 'testing' is inside a database transaction (level 1)", $out);
        });
        $this->assertSame(0, $this->rows());
        $this->assertSame(2, $user->counter('downloads'));
    }

    /** What RefreshDatabase / DatabaseTransactions do before each test: a wrapping transaction under Laravel's testing manager. */
    private function beginTestTransaction(): void
    {
        $manager = new DatabaseTransactionsManager(['testing']);
        $this->app->instance('db.transactions', $manager);
        $connection = $this->app->make('db')->connection('testing');
        $connection->setTransactionManager($manager);
        $connection->beginTransaction();
    }

    public function testATestsOwnWrappingTransactionIsAllowedWithTheTestingPrefix(): void
    {
        $user = $this->on('sqlite');
        $this->beginTestTransaction();
        $user->incrementCounter('downloads', 3);
        $this->assertSame(1, $this->sync()['synced']);
        $this->assertSame(3, $this->rows());

        // A transaction of the code under test inside it is refused as anywhere else.
        $this->app->make('db')->connection()->beginTransaction();
        $user->incrementCounter('downloads');
        $this->expectException(DatabaseException::class);
        $this->expectExceptionMessage("connection 'testing' is inside a database transaction (level 2)");
        $this->sync();
    }

    public function testWithoutTheTestingPrefixATestsWrappingTransactionIsRefusedToo(): void
    {
        // Then the test's Redis prefix is the application's own: a sync would move real
        // pending counters into the transaction the test rolls back.
        $user = $this->on('sqlite', ['testing_prefix' => '']);
        $this->assertSame('', str_replace($this->redisPrefix . 'counter:', '', $this->app->make(CounterManager::class)->settings()->redis['prefix']));
        $this->beginTestTransaction();
        $user->incrementCounter('downloads', 3);
        $this->expectException(DatabaseException::class);
        $this->expectExceptionMessage('(level 1); its batches would commit only with that transaction and be lost if it rolled back. Run counter:sync outside DB::transaction() (in a test with RefreshDatabase or DatabaseTransactions, keep counter.testing_prefix on)');
        $this->sync();
    }
}
