<?php

// Tally\Laravel\Sync\SinkFactory: which sink a connection gets, and that Laravel's
// connection is looked up afresh (DB::purge, worker reconnects).

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Tally\Laravel\CounterManager;
use Tally\Laravel\Sync\ConnectionSink;
use Tally\Laravel\Tests\Fixtures\User;

final class SinkFactoryTest extends TestCase
{
    /**
     * Two requests of one PHP-FPM worker (the application rebuilt in between) read on ONE
     * native MariaDB session: the second takes the session the first left open.
     */
    public function testRequestsOfOneWorkerShareTheNativeSession(): void
    {
        $this->useDatabase('mariadb');
        $this->migrateWithOwners();
        $connection = $this->app['config']->get('database.connections.mariadb');
        $port = (int) $connection['port'];
        $user = User::create();
        $user->incrementCounter('downloads', 2);
        $this->app->make('db')->disconnect();
        $before = $this->ownSessions($port);          // earlier tests' pooled sessions (other options)
        $seen = [];
        for ($request = 0; $request < 3; $request++) {
            $this->reboot(['database' => ['default' => 'mariadb', 'connections' => ['mariadb' => $connection]]]);
            $this->assertSame(2, User::query()->find($user->id)->counter('downloads'));
            $this->app->make('db')->disconnect();      // Laravel's own PDO session ends with the request
            $seen[] = array_values(array_diff($this->ownSessions($port), $before));   // what is left open: the native session
        }
        $this->assertCount(1, $seen[0]);
        $this->assertSame([$seen[0], $seen[0]], [$seen[1], $seen[2]], 'every request read on the same native session');
    }

    /** Local ports of this process's TCP connections to the MariaDB port. */
    private function ownSessions(int $server): array
    {
        $inodes = [];
        foreach (glob('/proc/self/fd/*') ?: [] as $fd) {
            if (preg_match('/^socket:\[(\d+)\]$/', (string) @readlink($fd), $m)) {
                $inodes[$m[1]] = true;
            }
        }
        $ports = [];
        foreach (['/proc/self/net/tcp', '/proc/self/net/tcp6'] as $table) {
            foreach (array_slice(@file($table) ?: [], 1) as $line) {
                $col = preg_split('/\s+/', trim($line));
                if (isset($col[9], $inodes[$col[9]]) && $col[3] === '01' && hexdec(substr($col[2], strrpos($col[2], ':') + 1)) === $server) {
                    $ports[] = (int) hexdec(substr($col[1], strrpos($col[1], ':') + 1));
                }
            }
        }
        sort($ports);

        return $ports;
    }

    public function testMysqlWithACaDirectoryGoesThroughLaravelsConnection(): void
    {
        if (!defined('PDO::MYSQL_ATTR_SSL_CAPATH')) {
            $this->markTestSkipped('pdo_mysql is not loaded');
        }
        $this->reboot([
            'database' => ['connections' => ['tls' => [
                'driver' => 'mariadb', 'host' => 'db.invalid', 'database' => 'app', 'username' => 'app',
                'options' => [\PDO::MYSQL_ATTR_SSL_CA => '/ca.pem', \PDO::MYSQL_ATTR_SSL_CAPATH => '/etc/ssl/certs'],
            ]]],
            'counter' => ['connection' => 'tls'],
        ]);
        // No connection is made to choose: the native session would have connected here.
        $this->assertInstanceOf(ConnectionSink::class, $this->app->make(CounterManager::class)->sink());
    }

    public function testMysqlWithTlsOptionsGetsTheNativeSessionOverTls(): void
    {
        $server = Fixtures\Laravel::server('mariadb');
        if ($server === null || !defined('PDO::MYSQL_ATTR_SSL_CA') || getenv('TALLY_TEST_MYSQL_TLS_USER') === false) {
            $this->markTestSkipped('needs pdo_mysql and the test MariaDB with its TLS user (scripts/services)');
        }
        $ca = getenv('TALLY_TEST_TLS_DIR') . '/ca.crt';
        $this->reboot([
            'database' => ['connections' => ['tls' => [
                'username' => getenv('TALLY_TEST_MYSQL_TLS_USER'),   // a user that may connect over TLS only
                'options' => [\PDO::MYSQL_ATTR_SSL_CA => $ca],
            ] + $server]],
            'counter' => ['connection' => 'tls'],
        ]);
        $sink = $this->app->make(CounterManager::class)->sink();
        $this->assertInstanceOf(\Tally\Database::class, $sink);
        $this->assertSame('mysql', $sink->getDriver());
    }

    public function testThePhpSinkSettingWinsOverANativeDriver(): void
    {
        $this->reboot([
            'database' => ['connections' => ['testing' => ['database' => $this->sqliteFile()]]],
            'counter' => ['sink' => 'php'],
        ]);
        $this->assertInstanceOf(ConnectionSink::class, $this->app->make(CounterManager::class)->sink());
    }

    public function testReadsAndSyncsFollowAPurgedConnection(): void
    {
        $this->useDatabase('pgsql');
        $this->migrateWithOwners();
        $user = User::create();
        $user->incrementCounter('downloads', 2);
        $this->assertSame(2, $user->counter('downloads'));

        // As tenancy packages and long-running workers do: Laravel makes a new connection
        // object. The sink must use that one: only the new object is inside a transaction,
        // so a sync refuses to start exactly when it looks at the new one.
        $db = $this->app->make('db');
        $db->purge('pgsql');
        $db->connection('pgsql')->beginTransaction();
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString("counter sync refused: connection 'pgsql' is inside a database transaction (level 1)", $out);
        $db->connection('pgsql')->rollBack();
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame(2, (int) $db->connection('pgsql')->table('model_counters')->value('count'));
        $this->assertSame(2, $user->counter('downloads'));
    }
}
