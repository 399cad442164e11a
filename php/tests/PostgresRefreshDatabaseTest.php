<?php

// RefreshDatabaseTest on PostgreSQL: the PHP sink there by default, inside the test's transaction.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

final class PostgresRefreshDatabaseTest extends RefreshDatabaseTest
{
    protected const SERVER = 'pgsql';
}
