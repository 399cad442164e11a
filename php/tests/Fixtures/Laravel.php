<?php

// Boots a real Laravel application without testbench: config in memory, the database,
// console support (artisan, migrations), filesystem and tally providers, and the console kernel.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

use Illuminate\Config\Repository;
use Illuminate\Contracts\Console\Kernel as ConsoleKernel;
use Illuminate\Contracts\Debug\ExceptionHandler;
use Illuminate\Database\DatabaseServiceProvider;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Filesystem\FilesystemServiceProvider;
use Illuminate\Foundation\Application;
use Illuminate\Foundation\Console\Kernel;
use Illuminate\Foundation\Providers\ConsoleSupportServiceProvider;
use Illuminate\Support\Facades\Facade;
use Tally\Laravel\TallyServiceProvider;

final class Laravel
{
    /**
     * @param array<string,mixed> $config
     * @param string $env APP_ENV: 'testing' is an application running its tests; anything
     *        else plays the developer's own application on the same Redis
     */
    public static function boot(string $basePath, array $config, string $env = 'testing'): Application
    {
        $app = new Application($basePath);
        $app->instance('config', new Repository($config));
        $app->detectEnvironment(static fn (): string => $env);
        $app->singleton(ConsoleKernel::class, Kernel::class);
        $app->singleton(ExceptionHandler::class, RecordingExceptionHandler::class);
        Facade::clearResolvedInstances();
        Facade::setFacadeApplication($app);
        $app->register(FilesystemServiceProvider::class);
        $app->register(DatabaseServiceProvider::class);
        $app->register(ConsoleSupportServiceProvider::class);   // artisan's own commands: migrate, db:wipe, ...
        $app->register(TallyServiceProvider::class);
        $app->bootstrapWith([]);   // config is in place already: no bootstrappers to run
        $app->boot();
        Model::setConnectionResolver($app->make('db'));
        Model::setEventDispatcher($app->make('events'));

        return $app;
    }

    /**
     * The config of a test application: SQLite :memory:, the test Redis under $redisPrefix.
     *
     * @return array<string,mixed>
     */
    public static function config(string $redisPrefix): array
    {
        return [
            'app' => ['name' => 'tally-test', 'env' => 'testing', 'debug' => true, 'providers' => []],
            'database' => [
                'default' => 'testing',
                'migrations' => ['table' => 'migrations', 'update_date_on_publish' => true],
                'connections' => [
                    'testing' => ['driver' => 'sqlite', 'database' => ':memory:', 'prefix' => '', 'foreign_key_constraints' => true],
                ],
                'redis' => [
                    'client' => 'phpredis',
                    'options' => ['prefix' => $redisPrefix],
                    'default' => self::redisConnection(),
                ],
            ],
            'counter' => [],
        ];
    }

    /**
     * The test Redis as a Laravel connection: plain, or with TALLY_TEST_REDIS_TLS=1 (the
     * TLS pass of scripts/test) scheme tls trusting the test CA, phpredis-style (not a url:
     * tests point the connection's port elsewhere, and a url's port would win).
     *
     * @return array<string,mixed>
     */
    public static function redisConnection(): array
    {
        $host = getenv('TALLY_TEST_REDIS_HOST') ?: '127.0.0.1';
        $port = (int) getenv('TALLY_TEST_REDIS_PORT');
        if (getenv('TALLY_TEST_REDIS_TLS') === '1') {
            return ['scheme' => 'tls', 'host' => $host, 'port' => $port, 'database' => 0, 'context' => ['stream' => self::tlsContext()]];
        }

        return ['host' => $host, 'port' => $port, 'database' => 0];
    }

    /** A phpredis client of the test Redis (over TLS in the TLS pass), for checks behind tally's back. */
    public static function phpredis(): \Redis
    {
        $redis = new \Redis();
        $host = getenv('TALLY_TEST_REDIS_HOST') ?: '127.0.0.1';
        if (getenv('TALLY_TEST_REDIS_TLS') === '1') {
            $redis->connect("tls://$host", (int) getenv('TALLY_TEST_REDIS_PORT'), 2.0, null, 0, 0, ['stream' => self::tlsContext()]);
        } else {
            $redis->connect($host, (int) getenv('TALLY_TEST_REDIS_PORT'));
        }

        return $redis;
    }

    /**
     * Options for a Tally\Counter of its own on the test Redis (over TLS in the TLS pass).
     *
     * @param array<string,mixed> $extra
     * @return array<string,mixed>
     */
    public static function tallyOptions(array $extra = []): array
    {
        $o = $extra + ['host' => getenv('TALLY_TEST_REDIS_HOST') ?: '127.0.0.1', 'port' => (int) getenv('TALLY_TEST_REDIS_PORT')];
        if (getenv('TALLY_TEST_REDIS_TLS') === '1') {
            $o += ['tls' => true, 'tls_ca_file' => self::tlsContext()['cafile'], 'tls_server_name' => 'localhost'];
        }

        return $o;
    }

    /** @return array<string,string> */
    private static function tlsContext(): array
    {
        return ['cafile' => getenv('TALLY_TEST_TLS_DIR') . '/ca.crt', 'peer_name' => 'localhost'];
    }

    /**
     * A Laravel connection to the test MariaDB or PostgreSQL of scripts/services, or null
     * when the TALLY_TEST_* variables for it are unset.
     *
     * @return array<string,mixed>|null
     */
    public static function server(string $driver): ?array
    {
        $env = ['mariadb' => 'MYSQL', 'pgsql' => 'PGSQL'][$driver];
        $vars = [];
        foreach (['HOST', 'PORT', 'USER', 'PASSWORD', 'DATABASE'] as $var) {
            $value = getenv("TALLY_TEST_{$env}_$var");
            if ($value === false) {
                return null;
            }
            $vars[$var] = $value;
        }
        $config = [
            'driver' => $driver,
            'host' => $vars['HOST'],
            'port' => (int) $vars['PORT'],
            'username' => $vars['USER'],
            'password' => $vars['PASSWORD'],
            'database' => $vars['DATABASE'],
            'prefix' => '',
        ];

        return $config + ($driver === 'pgsql'
            ? ['charset' => 'utf8', 'search_path' => 'public', 'sslmode' => 'disable']
            : ['charset' => 'utf8mb4', 'collation' => 'utf8mb4_unicode_ci']);
    }

    /**
     * A test connection on the server of $driver private to its user: a schema named $own on
     * PostgreSQL, tables prefixed "{$own}_" on MariaDB. Null when the server is not configured.
     *
     * @return array<string,mixed>|null
     */
    public static function ownConnection(string $driver, string $own): ?array
    {
        $config = self::server($driver);
        if ($config === null) {
            return null;
        }
        if ($driver === 'pgsql') {
            self::pdo($config)->exec("CREATE SCHEMA IF NOT EXISTS $own");

            return ['search_path' => $own] + $config;
        }

        return ['prefix' => $own . '_'] + $config;
    }

    /** Drops what ownConnection($driver, $own) was used for. */
    public static function dropOwn(string $driver, string $own): void
    {
        $config = self::server($driver);
        $pdo = self::pdo($config);
        if ($driver === 'pgsql') {
            $pdo->exec("DROP SCHEMA IF EXISTS $own CASCADE");

            return;
        }
        $tables = $pdo->prepare('SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND LEFT(table_name, ?) = ?');
        $tables->execute([strlen($own) + 1, $own . '_']);
        foreach ($tables->fetchAll(\PDO::FETCH_COLUMN) as $table) {
            $pdo->exec("DROP TABLE `$table`");
        }
    }

    /** @param array<string,mixed> $c a server() connection */
    private static function pdo(array $c): \PDO
    {
        $driver = $c['driver'] === 'pgsql' ? 'pgsql' : 'mysql';

        return new \PDO("$driver:host={$c['host']};port={$c['port']};dbname={$c['database']}", $c['username'], $c['password']);
    }
}
