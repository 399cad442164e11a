<?php

// RefreshDatabaseTest's user-style tests on MariaDB, with COUNTER_SINK=php as the README
// says: the sync writes inside the test's transaction (a native session could not see it,
// and would commit rows that outlive the test). Tables of this class's own (a prefix).

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Tally\Laravel\Tests\Fixtures\Laravel;

final class MariaDbRefreshDatabaseTest extends RefreshDatabaseTest
{
    private static ?string $own = null;

    protected function database(): array
    {
        self::$own ??= 't' . bin2hex(random_bytes(4));
        $connection = Laravel::ownConnection('mariadb', self::$own);
        if ($connection === null) {
            $this->markTestSkipped('no test MariaDB: its TALLY_TEST_* variables are unset (scripts/services start)');
        }

        return [
            'database' => ['default' => 'mariadb', 'connections' => ['mariadb' => $connection]],
            'counter' => ['sink' => 'php'],
        ];
    }

    public static function tearDownAfterClass(): void
    {
        if (self::$own !== null) {
            Laravel::dropOwn('mariadb', self::$own);
            self::$own = null;
        }
        parent::tearDownAfterClass();
    }
}
