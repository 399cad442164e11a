<?php

// set()/reset() racing a sync: a sync stopped between claim and commit, or between commit
// and release (failpoints in a child process), and set/reset from inside a running sync.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Tally\Laravel\CounterManager;
use Tally\Laravel\Models\ModelCounter;
use Tally\Laravel\Settings;
use Tally\Laravel\Tests\Fixtures\User;

final class SetDuringSyncTest extends TestCase
{
    private string $path;

    /** Runs one sync in a child process with TALLY_FAILPOINTS=$failpoint; returns its report. */
    private function childSync(string $failpoint): array
    {
        // A killed run's lock must expire before the next run: a short TTL.
        $code = '$o = json_decode($argv[1], true);'
            . 'echo json_encode((new Tally\Counter($o[0]))->sync(new Tally\Database($o[1]), [\'lock_ttl\' => 1.0]));';
        $options = [$this->app->make(Settings::class)->redis, ['driver' => 'sqlite', 'path' => $this->path, 'table' => 'model_counters']];
        $cmd = [PHP_BINARY, '-d', 'extension=' . $this->extensionPath(), '-r', $code, json_encode($options)];
        $proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, getenv() + ['TALLY_FAILPOINTS' => $failpoint]);
        $out = stream_get_contents($pipes[1]);
        $err = stream_get_contents($pipes[2]);
        $exit = proc_close($proc);

        return ['exit' => $exit, 'report' => json_decode((string) $out, true), 'stderr' => $err];
    }

    private function extensionPath(): string
    {
        // TALLY_SO (set by scripts/phpunit), else the build tree's.
        return getenv('TALLY_SO') ?: dirname(__DIR__, 2) . '/modules/tally.so';
    }

    private function bootFileSqlite(): User
    {
        $this->path = $this->sqliteFile();
        $this->reboot(['database' => ['connections' => ['testing' => ['database' => $this->path]]]]);
        $this->migrateWithOwners();

        return User::create();
    }

    /** @return array<string,int> */
    private function stored(User $user): array
    {
        return $user->modelCounters()->orderBy('key')->pluck('count', 'key')->map(fn ($c) => (int) $c)->all();
    }

    public static function failpoints(): array
    {
        return [
            'claimed, not committed' => ['before-commit=error'],
            'committed, not released' => ['after-commit=error'],
            'killed after commit' => ['after-commit=kill'],
            'killed after claim' => ['after-claim=kill'],
        ];
    }

    #[\PHPUnit\Framework\Attributes\DataProvider('failpoints')]
    public function testSetAndResetWhileASyncIsStoppedMidWay(string $failpoint): void
    {
        $user = $this->bootFileSqlite();
        $user->incrementCounter('downloads', 10);
        $user->incrementCounter('views', 4);
        $user->incrementCounter('likes', 3);
        $this->artisan('counter:sync');
        $user->incrementCounter('downloads', 5);   // 15: 10 stored + 5 to be in flight
        $user->incrementCounter('views', 2);       // 6
        $user->incrementCounter('likes', 1);       // 4

        $child = $this->childSync($failpoint);
        if (str_ends_with($failpoint, '=kill')) {
            $this->assertNotSame(0, $child['exit'], 'the child was to be killed: ' . $child['stderr']);
        } else {
            $this->assertSame(0, $child['exit'], $child['stderr']);
            $this->assertNotSame([], $child['report']['errors']);
        }
        $this->assertNotSame([], $this->redisKeys(), 'the claim is left in flight');

        // Exact reads while the claim is in flight, then set/reset against them.
        $this->assertSame(['downloads' => 15, 'likes' => 4, 'views' => 6], $user->allCounters());
        $user->setCounter('downloads', 100);
        $user->resetCounter('views');
        $user->incrementCounter('likes');   // a concurrent writer keeps counting
        $this->assertSame(['downloads' => 100, 'likes' => 5, 'views' => 0], $user->allCounters());

        usleep(1_100_000);   // past the killed run's lock TTL
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame([], $this->redisKeys());
        $this->assertSame(['downloads' => 100, 'likes' => 5, 'views' => 0], $this->stored($user));
        $this->assertSame(['downloads' => 100, 'likes' => 5, 'views' => 0], $user->allCounters());
    }

    public function testSetAndResetFromInsideARunningSync(): void
    {
        $this->migrateWithOwners();   // SQLite :memory:: the PHP sink
        $users = [User::create(), User::create(), User::create()];
        foreach ($users as $i => $user) {
            $user->incrementCounter('n', 10 + $i);
        }
        $manager = $this->app->make(CounterManager::class);
        $seen = [];
        $report = $manager->sync(['batch_size' => 1, 'progress' => function (int $done) use ($users, &$seen): bool {
            if ($done === 1) {
                // One owner is synced, the others are still pending (or being claimed).
                $users[0]->setCounter('n', 50);
                $users[1]->resetCounter('n');
                $users[2]->setCounter('n', 7);
            }
            $seen[] = array_map(fn (User $u): int => $u->counter('n'), $users);

            return true;
        }]);
        $this->assertSame([], $report['errors'], json_encode($report) . json_encode($seen));
        // The reset can turn a still-pending delta into 0, which the run drops as skipped.
        $this->assertSame(3, $report['synced'] + $report['skipped'], json_encode($report));
        // Exact at every batch boundary after the set: never undone or doubled by the run.
        foreach ($seen as $values) {
            $this->assertSame([50, 0, 7], $values);
        }
        $this->assertSame([50, 0, 7], array_map(fn (User $u): int => $u->counter('n'), $users));

        $this->artisan('counter:sync');
        $this->assertSame([], $this->redisKeys());
        $this->assertSame([50, 0, 7], array_map(fn (User $u): int => (int) ModelCounter::query()->where('owner_id', $u->id)->value('count'), $users));
    }
}
