<?php

// Runs statements on the counters table through a Laravel connection, turning a failed one
// into Tally\DatabaseException as the native sinks report theirs (the QueryException stays
// as the previous one), with how to create a missing table.

declare(strict_types=1);

namespace Tally\Laravel\Sync;

use Closure;
use Illuminate\Database\ConnectionInterface;
use Illuminate\Database\QueryException;
use Tally\DatabaseException;
use Tally\RejectedException;

final class Statements
{
    private function __construct()
    {
    }

    /**
     * Runs $query; when it writes counter rows ($rows), a refusal of their data is a
     * Tally\RejectedException (see rejectsData()), anything else a Tally\DatabaseException.
     *
     * @param string $what what was being done, for the message ("writing a batch")
     */
    public static function run(ConnectionInterface $connection, string $table, string $what, Closure $query, bool $rows = false): mixed
    {
        try {
            return $query();
        } catch (QueryException $e) {
            // undefined table: PostgreSQL 42P01, MySQL 42S02, SQLite HY000 "no such table"
            $missing = in_array((string) $e->getCode(), ['42P01', '42S02'], true)
                || str_contains($e->getMessage(), 'no such table');
            $class = $rows && self::rejectsData($e) ? RejectedException::class : DatabaseException::class;
            throw new $class(sprintf(
                "%s connection '%s': %s: %s%s",
                $connection->getDriverName(),
                $connection->getName(),
                $what,
                $e->getPrevious()?->getMessage() ?? $e->getMessage(),
                $missing ? sprintf('; the tables %s and %s_sync must exist: run `php artisan migrate`', $table, $table) : ''
            ), 0, $e);
        }
    }

    /**
     * Whether the database refused a row for its data, which no retry of the same row fixes:
     * SQLSTATE class 22 (data exception: 22003 out of range, 22001 too long, ...) or 23
     * (integrity constraint: NOT NULL, CHECK as PostgreSQL's 23514 or SQLite's, a foreign
     * key), but not a unique violation: the upsert resolves its own conflicts, so one is a
     * race or a foreign index, not this row's data, and fails the batch as before.
     */
    private static function rejectsData(QueryException $e): bool
    {
        $state = (string) ($e->errorInfo[0] ?? $e->getCode());
        $driverCode = (int) ($e->errorInfo[1] ?? 0);
        $class = substr($state, 0, 2);
        if ($class === '22') {
            return true;
        }
        if ($class !== '23') {
            return false;
        }
        $unique = $state === '23505'                                   // PostgreSQL unique_violation
            || in_array($driverCode, [1062, 1586, 1022], true)         // MySQL/MariaDB duplicate entry/key
            || preg_match('/\b(UNIQUE|PRIMARY KEY) constraint failed/', (string) ($e->errorInfo[2] ?? $e->getMessage())) === 1;

        return !$unique;
    }
}
