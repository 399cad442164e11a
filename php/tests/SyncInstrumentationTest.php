<?php

// The sync instrumenter (Contracts\SyncInstrumenter): named in counter.sync_instrumenter,
// bound in the container, or given to Counter::instrumentSyncUsing(); told of each run's
// start, every committed batch with its rows, its errors and set-aside counters, its end
// with the report, or the exception that ended it; on every database.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Config\Repository;
use Illuminate\Database\Eloquent\Relations\Relation;
use PHPUnit\Framework\Attributes\DataProviderExternal;
use Symfony\Component\Console\Output\OutputInterface;
use Tally\InvalidArgumentException;
use Tally\Laravel\Contracts\SyncInstrumenter;
use Tally\Laravel\Counter;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Settings;
use Tally\Laravel\Tests\Fixtures\RecordingSyncInstrumenter;
use Tally\Laravel\Tests\Fixtures\User;

final class SyncInstrumentationTest extends TestCase
{
    private function recorder(): RecordingSyncInstrumenter
    {
        return $this->app->make(RecordingSyncInstrumenter::class);
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testARunIsToldItsStartEachBatchAndItsEnd(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter + ['sync_instrumenter' => RecordingSyncInstrumenter::class]]);
        $this->app->singleton(RecordingSyncInstrumenter::class);
        $this->migrateWithOwners();
        Relation::morphMap(['user' => User::class]);
        $users = [User::create(), User::create(), User::create()];
        foreach ($users as $i => $user) {
            $user->incrementCounters(['a' => $i + 1, 'b' => 10 * ($i + 1)]);
        }

        [$code, $out] = $this->artisan('counter:sync', ['--batch-size' => 2]);
        $this->assertSame(0, $code, $out);
        $calls = $this->recorder()->calls;
        $report = end($calls)[1];
        $this->assertSame('started', $calls[0][0]);
        $this->assertSame(['dry_run' => false, 'batch_size' => 2, 'lock_ttl' => 60.0], $calls[0][1]);
        $this->assertSame(
            ['started', ...array_fill(0, $report['batches'], 'batch'), 'finished'],
            $this->recorder()->names(),
            'one batch() per committed batch, no failures()'
        );
        $this->assertGreaterThan(1, $report['batches']);
        $this->assertSame(6, $report['synced']);
        [$u1, $u2, $u3] = array_map(static fn (User $u) => $u->id, $users);
        $this->assertSame([
            "user#$u1.a=1", "user#$u1.b=10", "user#$u2.a=2", "user#$u2.b=20", "user#$u3.a=3", "user#$u3.b=30",
        ], $this->recorder()->rows());
        $this->assertSame(30, $users[2]->counter('b'));
    }

    public function testTheCallersOnBatchStillRunsAndCanStopTheRun(): void
    {
        $this->reboot(['counter' => ['sync_instrumenter' => RecordingSyncInstrumenter::class]]);
        $this->app->singleton(RecordingSyncInstrumenter::class);
        $this->migrateWithOwners();
        Relation::morphMap(['user' => User::class]);
        $user = User::create();
        $user->incrementCounter('downloads', 4);

        // counter:sync -v lists rows through its own on_batch.
        [$code, $out] = $this->artisan('counter:sync', [], false, OutputInterface::VERBOSITY_VERBOSE);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString("user#$user->id  downloads  +4", $out);
        $this->assertSame(["user#$user->id.downloads=4"], $this->recorder()->rows());

        // Its false stops the run as without an instrumenter: what is already claimed is still
        // written. That is both owners when one SCAN page brought both, one when Redis holds
        // other keys that spread them over two pages; either way nothing is lost.
        $x = User::create();
        $x->incrementCounter('x');
        $y = User::create();
        $y->incrementCounter('y');
        $this->recorder()->calls = [];
        $report = $this->app->make(CounterManager::class)->sync(['batch_size' => 1, 'on_batch' => static fn (): bool => false]);
        $this->assertTrue($report['incomplete']);
        $this->assertContains($report['batches'], [1, 2]);
        $this->assertSame(array_merge(['started'], array_fill(0, $report['batches'], 'batch'), ['finished']), $this->recorder()->names());
        $this->assertSame([1, 1], [$x->counter('x'), $y->counter('y')]);
    }

    public function testABindingWinsOverConfigAndInstrumentSyncUsingOverBoth(): void
    {
        $named = new RecordingSyncInstrumenter();
        $bound = new RecordingSyncInstrumenter();
        $given = new RecordingSyncInstrumenter();
        $this->reboot(['counter' => ['sync_instrumenter' => RecordingSyncInstrumenter::class]]);
        $this->app->instance(RecordingSyncInstrumenter::class, $named);
        $this->migrateWithOwners();
        $sync = fn () => $this->app->make(CounterManager::class)->sync();

        $sync();
        $this->app->instance(SyncInstrumenter::class, $bound);
        $sync();
        Counter::instrumentSyncUsing($given);
        $sync();
        $sync();
        Counter::instrumentSyncUsing(null);
        $sync();

        $this->assertSame([2, 4, 4], [count($named->calls), count($bound->calls), count($given->calls)]);
    }

    public function testWithoutOneNothingIsInstrumented(): void
    {
        $this->migrateWithOwners();
        $this->assertNull($this->app->make(Settings::class)->events->syncInstrumenter);
        User::create()->incrementCounter('a');
        $report = $this->app->make(CounterManager::class)->sync();
        $this->assertSame(1, $report['synced']);
        $this->assertFalse($this->app->resolved(RecordingSyncInstrumenter::class));
    }

    #[DataProviderExternal(FailedCountersTest::class, 'databases')]
    public function testFailuresNameTheErrorsAndSetAsideCounters(string $db): void
    {
        $this->useDatabase($db, ['counter' => ['sync_instrumenter' => RecordingSyncInstrumenter::class]]);
        $this->app->singleton(RecordingSyncInstrumenter::class);
        $this->migrateWithOwners();
        Relation::morphMap(['user' => User::class]);
        $user = User::create();
        $user->incrementCounter('views', PHP_INT_MAX - 1);
        $this->app->make(CounterManager::class)->sync();
        $user->incrementCounter('views', 5);      // cannot be stored on top: set aside
        $user->incrementCounter('downloads', 2);
        $this->recorder()->calls = [];

        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(1, $code, $out);
        $this->assertSame(['started', 'batch', 'failures', 'finished'], $this->recorder()->names());
        [$errors, $setAside] = $this->recorder()->calls[2][1];
        $this->assertSame(1, $setAside);
        $this->assertCount(1, $errors);
        $this->assertStringContainsString("counter 'views' of user #$user->id (delta 5) set aside", $errors[0]);
        $this->assertSame(["user#$user->id.downloads=2"], $this->recorder()->rows(), 'the batch as committed, without the counter set aside');
    }

    public function testARunThatThrowsIsReportedFailedAndTheExceptionGoesOn(): void
    {
        $this->reboot(['counter' => ['sync_instrumenter' => RecordingSyncInstrumenter::class]]);
        $this->app->singleton(RecordingSyncInstrumenter::class);
        User::unguard();
        // No migration: the table is missing.
        $this->app->make(CounterManager::class)->engine()->increment('user', 1, 'a');
        try {
            $this->app->make(CounterManager::class)->sync();
            $this->fail('the sync did not throw');
        } catch (\Tally\DatabaseException $e) {
            $this->assertSame(['started', 'failed'], $this->recorder()->names());
            $this->assertSame($e, $this->recorder()->calls[1][1]);
        }

        // What batch() throws stops the run after the batch already claimed, and is the run's exception.
        $this->migrate();
        $this->recorder()->calls = [];
        $this->recorder()->onBatch = static function (): void {
            throw new \RuntimeException('metrics backend down');
        };
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString('metrics backend down', $out);
        $this->assertSame(['started', 'batch', 'failed'], $this->recorder()->names());
        $this->assertSame(1, $this->app->make(CounterManager::class)->engine()->get($this->app->make(CounterManager::class)->sink(), 'user', 1, 'a'), 'the batch committed once');
    }

    public function testASettingThatNamesNoInstrumenterIsRefused(): void
    {
        foreach (['App\\Nope', \stdClass::class, 42] as $bad) {
            try {
                Settings::fromConfig(new Repository(['counter' => ['sync_instrumenter' => $bad]] + Fixtures\Laravel::config('x:')));
                $this->fail('accepted ' . var_export($bad, true));
            } catch (InvalidArgumentException $e) {
                $this->assertStringStartsWith('counter.sync_instrumenter must name a class implementing Tally\\Laravel\\Contracts\\SyncInstrumenter, got ', $e->getMessage());
            }
        }
    }
}
