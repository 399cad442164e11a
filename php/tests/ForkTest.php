<?php

// Queue workers and Horizon fork: a child process counts, syncs and reads through its own
// Redis and SQL sessions, never the parent's, and the parent's keep working.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use PHPUnit\Framework\Attributes\DataProvider;
use PHPUnit\Framework\Attributes\RequiresPhpExtension;
use Tally\Laravel\Tests\Fixtures\User;

#[RequiresPhpExtension('pcntl')]
final class ForkTest extends TestCase
{
    /** @return array<string,array{string}> */
    public static function databases(): array
    {
        return ['native (sqlite file)' => ['sqlite-file'], 'native (mariadb)' => ['mariadb']];
    }

    #[DataProvider('databases')]
    public function testAForkedChildUsesItsOwnSessions(string $db): void
    {
        $this->useDatabase($db);
        $this->migrateWithOwners();
        $user = User::create();
        $user->incrementCounter('jobs', 1);
        $this->assertSame(1, $user->counter('jobs'));   // the parent's Redis and SQL sessions are open

        $pid = pcntl_fork();
        if ($pid === 0) {
            // The child: any failure is its exit code (PHPUnit must not go on in two processes).
            $ok = false;
            try {
                $user->incrementCounter('jobs', 10);
                [$code] = $this->artisan('counter:sync');
                $ok = $code === 0 && $user->counter('jobs') === 11;
            } finally {
                posix_kill(getmypid(), $ok ? SIGUSR1 : SIGUSR2);   // no shutdown handlers, no parent's sockets closed
            }
        }
        pcntl_waitpid($pid, $status);
        $this->assertTrue(pcntl_wifsignaled($status), 'the child ended by itself');
        $this->assertSame(SIGUSR1, pcntl_wtermsig($status), 'the child failed');

        // The parent's sessions still work and see the child's sync.
        $user->incrementCounter('jobs', 100);
        $this->assertSame(111, $user->counter('jobs'));
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame(111, $user->counter('jobs'));
        $this->assertSame(['jobs' => 111], $user->modelCounters()->pluck('count', 'key')->all());
    }
}
