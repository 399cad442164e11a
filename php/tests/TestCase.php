<?php

// Boots a real Laravel application per test (no testbench): config in memory, the
// database, filesystem and tally providers, the console kernel, a private Redis prefix.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Contracts\Console\Kernel as ConsoleKernel;
use Illuminate\Database\Eloquent\Relations\Relation;
use Illuminate\Foundation\Application;
use Illuminate\Support\Facades\Facade;
use PHPUnit\Framework\TestCase as BaseTestCase;
use Symfony\Component\Console\Output\BufferedOutput;
use Tally\Laravel\Models\ModelCounter;
use Tally\Laravel\Tests\Fixtures\RecordingExceptionHandler;

abstract class TestCase extends BaseTestCase
{
    protected Application $app;
    protected string $basePath;
    /** The Redis connection's prefix: every key of this test starts with it. */
    protected string $redisPrefix;
    /** @var list<string> */
    private array $tempFiles = [];
    /** @var list<\Closure(): void> drop what a test made on a shared server */
    private array $cleanups = [];

    protected function setUp(): void
    {
        parent::setUp();
        if (!extension_loaded('tally')) {
            $this->markTestSkipped('the tally extension is not loaded: run php -d extension=modules/tally.so vendor/bin/phpunit');
        }
        if (getenv('TALLY_TEST_REDIS_PORT') === false) {
            $this->markTestSkipped('no test Redis: TALLY_TEST_REDIS_PORT is unset (run `. .services/env` after scripts/services start)');
        }
        $this->redisPrefix = 'tt' . bin2hex(random_bytes(5)) . ':';
        \Tally\Laravel\Http\TrackingFailures::reset();
        $this->basePath = sys_get_temp_dir() . '/tally-laravel-' . bin2hex(random_bytes(5));
        mkdir($this->basePath . '/database', 0777, true);
        $this->app = $this->createApplication();
    }

    protected function tearDown(): void
    {
        if (isset($this->app)) {
            $this->app->make('db')->purge();   // no open session may hold a lock the cleanup needs
        }
        foreach ($this->cleanups as $cleanup) {
            $cleanup();
        }
        if (isset($this->redisPrefix)) {
            $this->flushRedis();
        }
        if (isset($this->app)) {
            $this->app->flush();
            Facade::clearResolvedInstances();
            Facade::setFacadeApplication(null);
        }
        Relation::morphMap([], false);
        Relation::requireMorphMap(false);
        foreach ($this->tempFiles as $file) {
            @unlink($file);
        }
        if (isset($this->basePath)) {
            @rmdir($this->basePath . '/database');
            @rmdir($this->basePath);
        }
        parent::tearDown();
    }

    /** Config the test may change before the application boots. */
    protected function config(): array
    {
        return Fixtures\Laravel::config($this->redisPrefix);
    }

    protected function createApplication(?array $config = null): Application
    {
        return Fixtures\Laravel::boot($this->basePath, $config ?? $this->config());
    }

    /** Replaces the application with one booted on $changes merged into the config. */
    protected function reboot(array $changes): void
    {
        $this->app->flush();
        $this->app = $this->createApplication(array_replace_recursive($this->config(), $changes));
    }

    /**
     * Reboots with $db as the default connection: 'sqlite' (:memory:, as setUp boots),
     * 'sqlite-file', 'mariadb' or 'pgsql'. On a server, the test gets tables of its own (a
     * table prefix on MariaDB, a schema on PostgreSQL), dropped after it; the test skips when
     * that server is not configured (TALLY_TEST_MYSQL_* / TALLY_TEST_PGSQL_*).
     */
    protected function useDatabase(string $db, array $changes = []): void
    {
        $connections = match ($db) {
            'sqlite' => [],
            'sqlite-file' => ['testing' => ['database' => $this->sqliteFile()]],
            'mariadb', 'pgsql' => [$db => $this->serverConnection($db)],
        };
        $default = in_array($db, ['mariadb', 'pgsql'], true) ? $db : 'testing';
        $this->reboot(array_replace_recursive(
            ['database' => ['default' => $default, 'connections' => $connections]],
            $changes
        ));
    }

    /**
     * A connection to the test MariaDB or PostgreSQL, private to this test (its own schema
     * or table prefix, dropped after it).
     *
     * @return array<string,mixed>
     */
    protected function serverConnection(string $driver): array
    {
        $own = 't' . bin2hex(random_bytes(4));
        $config = Fixtures\Laravel::ownConnection($driver, $own);
        if ($config === null) {
            $this->markTestSkipped("no test $driver server: its TALLY_TEST_* variables are unset (scripts/services start)");
        }
        $this->cleanups[] = static fn () => Fixtures\Laravel::dropOwn($driver, $own);

        return $config;
    }

    /**
     * Runs an artisan command.
     *
     * @return array{int, string} exit code and output
     */
    protected function artisan(string $command, array $parameters = [], bool $decorated = false, int $verbosity = BufferedOutput::VERBOSITY_NORMAL): array
    {
        $output = new BufferedOutput($verbosity, $decorated);
        $code = $this->app->make(ConsoleKernel::class)->call($command, $parameters, $output);

        return [$code, $output->fetch()];
    }

    protected function migrate(): void
    {
        [$code, $out] = $this->artisan('migrate', ['--force' => true]);
        $this->assertSame(0, $code, $out);
    }

    /** @return array<string,int> "type|id|key" => count: the synced rows, from SQL */
    protected function syncedRows(): array
    {
        $out = [];
        foreach (ModelCounter::query()->orderBy('owner_type')->orderBy('owner_id')->orderBy('key')->get() as $row) {
            $out["$row->owner_type|$row->owner_id|$row->key"] = (int) $row->count;
        }

        return $out;
    }

    /** The counters tables (the package migration) and the fixture owners' tables. */
    protected function migrateWithOwners(): void
    {
        $this->migrate();
        $schema = $this->app->make('db')->connection()->getSchemaBuilder();
        $schema->create('users', function ($t): void {
            $t->id();
            $t->string('name')->default('');
        });
        $schema->create('documents', function ($t): void {
            $t->uuid('id')->primary();
            $t->string('title')->default('');
        });
        $schema->create('uploads', function ($t): void {
            $t->ulid('id')->primary();
            $t->string('name')->default('');
        });
        $schema->create('articles', function ($t): void {
            $t->id();
            $t->string('title')->default('');
        });
    }

    /**
     * Every row of the counters table, periods included, from SQL, in a stable order.
     *
     * @return list<string> "type|id|key|period|period_start=count"
     */
    protected function counterRows(): array
    {
        $rows = $this->app->make('db')->connection($this->app->make(\Tally\Laravel\Settings::class)->connection)
            ->table($this->app->make(\Tally\Laravel\Settings::class)->table)
            ->get(['owner_type', 'owner_id', 'key', 'period', 'period_start', 'count']);
        $out = [];
        foreach ($rows as $r) {
            $out[] = sprintf('%s|%s|%s|%s|%s=%d', $r->owner_type, $r->owner_id, $r->key, $r->period, substr((string) $r->period_start, 0, 10), $r->count);
        }
        sort($out, SORT_STRING);

        return $out;
    }

    /** A fresh SQLite file connection named 'file', removed after the test. */
    protected function sqliteFile(): string
    {
        $path = $this->basePath . '/database/counters.sqlite';
        touch($path);
        $this->tempFiles[] = $path;
        foreach (['-wal', '-shm', '-journal'] as $suffix) {
            $this->tempFiles[] = $path . $suffix;
        }

        return $path;
    }

    protected function exceptions(): RecordingExceptionHandler
    {
        return $this->app->make(\Illuminate\Contracts\Debug\ExceptionHandler::class);
    }

    protected function redis(): \Redis
    {
        return Fixtures\Laravel::phpredis();
    }

    /**
     * Tally's full key prefix in this test: the Redis connection prefix + counter.prefix +
     * counter.testing_prefix (the fixture application runs in the 'testing' environment).
     */
    protected function tallyPrefix(): string
    {
        return $this->redisPrefix . 'counter:testing:';
    }

    /** @return list<string> the Redis keys of this test, without the connection prefix */
    protected function redisKeys(): array
    {
        $redis = $this->redis();
        $keys = [];
        $it = null;
        while (($batch = $redis->scan($it, $this->redisPrefix . '*', 1000)) !== false) {
            foreach ($batch as $key) {
                $keys[] = substr($key, strlen($this->redisPrefix));
            }
            if ($it === 0) {
                break;
            }
        }
        sort($keys);

        return $keys;
    }

    private function flushRedis(): void
    {
        if (getenv('TALLY_TEST_REDIS_PORT') === false) {
            return;
        }
        $redis = $this->redis();
        foreach ($this->redisKeys() as $key) {
            $redis->del($this->redisPrefix . $key);
        }
    }
}
