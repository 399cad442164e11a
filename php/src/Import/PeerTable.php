<?php

// rejoose/model-counter's table: how to tell it by its columns (interval, no period), and
// setting it aside under "<table>_before_tally" when it holds the name Tally's table needs
// (both default to model_counters), so that Tally's tables can be created and the rows
// imported from there by counter:import-model-counter.

declare(strict_types=1);

namespace Tally\Laravel\Import;

use Illuminate\Database\ConnectionInterface;

final class PeerTable
{
    public const SET_ASIDE_SUFFIX = '_before_tally';

    private function __construct()
    {
    }

    /** Whether $table (without the connection's prefix) exists with the peer's shape. */
    public static function is(ConnectionInterface $connection, string $table): bool
    {
        $columns = self::columns($connection, $table);

        return $columns !== [] && in_array('interval', $columns, true) && !in_array('period', $columns, true);
    }

    /** Whether $table exists with Tally's shape (period and sync_seq). */
    public static function isTally(ConnectionInterface $connection, string $table): bool
    {
        $columns = self::columns($connection, $table);

        return in_array('period', $columns, true) && in_array('sync_seq', $columns, true);
    }

    /**
     * When $table is the peer's: renames it to $table . SET_ASIDE_SUFFIX and creates Tally's
     * tables in its place. Also finishes a run that stopped after the rename. Returns whether
     * anything was done (false: $table is not the peer's and no set-aside table waits).
     */
    public static function setAside(ConnectionInterface $connection, string $table): bool
    {
        $schema = $connection->getSchemaBuilder();
        $aside = $table . self::SET_ASIDE_SUFFIX;
        if (self::is($connection, $table)) {
            if ($schema->hasTable($aside)) {
                throw new ImportException(sprintf(
                    "the table %s has rejoose/model-counter's shape and %s exists already: import that one first "
                    . '(php artisan counter:import-model-counter), then drop it',
                    $table,
                    $aside
                ));
            }
            $schema->rename($table, $aside);
        } elseif ($schema->hasTable($table) || !$schema->hasTable($aside)) {
            return false;
        }
        foreach (\Tally\Database::schema($connection->getDriverName(), $connection->getTablePrefix() . $table) as $statement) {
            $connection->statement($statement);
        }

        return true;
    }

    /** @return list<string> lowercased column names; [] when the table does not exist */
    private static function columns(ConnectionInterface $connection, string $table): array
    {
        return array_map('strtolower', $connection->getSchemaBuilder()->getColumnListing($table));
    }
}
