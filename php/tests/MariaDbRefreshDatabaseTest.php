<?php

// RefreshDatabaseTest on MariaDB, with COUNTER_SINK=php as the README says: the sync writes
// inside the test's transaction (a native session could not see it, and would commit rows
// that outlive the test).

declare(strict_types=1);

namespace Tally\Laravel\Tests;

final class MariaDbRefreshDatabaseTest extends RefreshDatabaseTest
{
    protected const SERVER = 'mariadb';
    protected const COUNTER = ['sink' => 'php'];
}
