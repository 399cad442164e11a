<?php

// RefreshDatabaseTest's user-style tests on PostgreSQL (a schema of this class's own).

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Tally\Laravel\Tests\Fixtures\Laravel;

final class PostgresRefreshDatabaseTest extends RefreshDatabaseTest
{
    private static ?string $schema = null;

    protected function database(): array
    {
        $config = Laravel::server('pgsql');
        if ($config === null) {
            $this->markTestSkipped('no test PostgreSQL: TALLY_TEST_PGSQL_* are unset (scripts/services start)');
        }
        self::$schema ??= 't' . bin2hex(random_bytes(4));
        self::pdo()->exec('CREATE SCHEMA IF NOT EXISTS ' . self::$schema);

        return ['database' => ['default' => 'pgsql', 'connections' => ['pgsql' => ['search_path' => self::$schema] + $config]]];
    }

    public static function tearDownAfterClass(): void
    {
        if (self::$schema !== null) {
            self::pdo()->exec('DROP SCHEMA IF EXISTS ' . self::$schema . ' CASCADE');
            self::$schema = null;
        }
        parent::tearDownAfterClass();
    }

    private static function pdo(): \PDO
    {
        $c = Laravel::server('pgsql');

        return new \PDO("pgsql:host={$c['host']};port={$c['port']};dbname={$c['database']}", $c['username'], $c['password']);
    }
}
