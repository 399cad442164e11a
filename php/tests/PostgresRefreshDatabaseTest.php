<?php

// RefreshDatabaseTest's user-style tests on PostgreSQL (a schema of this class's own): the
// PHP sink there, inside the test's transaction.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Tally\Laravel\Tests\Fixtures\Laravel;

final class PostgresRefreshDatabaseTest extends RefreshDatabaseTest
{
    private static ?string $own = null;

    protected function database(): array
    {
        self::$own ??= 't' . bin2hex(random_bytes(4));
        $connection = Laravel::ownConnection('pgsql', self::$own);
        if ($connection === null) {
            $this->markTestSkipped('no test PostgreSQL: its TALLY_TEST_* variables are unset (scripts/services start)');
        }

        return [
            'database' => ['default' => 'pgsql', 'connections' => ['pgsql' => $connection]],
        ];
    }

    public static function tearDownAfterClass(): void
    {
        if (self::$own !== null) {
            Laravel::dropOwn('pgsql', self::$own);
            self::$own = null;
        }
        parent::tearDownAfterClass();
    }
}
