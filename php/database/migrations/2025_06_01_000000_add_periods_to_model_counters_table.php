<?php

// Upgrades a counters table created by an earlier release (no period columns, unique key
// over owner_type, owner_id, key) in place, with the extension's statements
// (Tally\Database::upgradeSchema): every row and its sync_seq is kept, and the schema is
// still defined once, in the extension. A table the first migration just created already
// has the new shape and is left alone.

declare(strict_types=1);

use Illuminate\Database\Migrations\Migration;
use Illuminate\Support\Facades\DB;
use Tally\Laravel\Settings;

return new class extends Migration
{
    public function getConnection(): ?string
    {
        return app(Settings::class)->connection;
    }

    public function up(): void
    {
        $connection = DB::connection($this->getConnection());
        $driver = $connection->getDriverName();
        if (!in_array($driver, ['mysql', 'mariadb', 'sqlite', 'pgsql'], true)) {
            throw new RuntimeException("tally/laravel has no counters schema for the '$driver' driver (mysql, mariadb, sqlite, pgsql)");
        }
        $table = app(Settings::class)->table;
        // rejoose/model-counter's table of the same name (its create migration has the name of
        // ours, so ours was skipped): set aside for counter:import-model-counter, ours created.
        if (Tally\Laravel\Import\PeerTable::setAside($connection, $table)) {
            return;
        }
        $columns = array_map('strtolower', $connection->getSchemaBuilder()->getColumnListing($table));
        if ($columns === [] || in_array('period', $columns, true)) {
            return;
        }
        $statements = Tally\Database::upgradeSchema($driver, $connection->getTablePrefix() . $table);
        $run = function () use ($connection, $statements): void {
            foreach ($statements as $statement) {
                $connection->statement($statement);
            }
        };
        // MySQL's one ALTER TABLE is atomic and commits of itself (no transaction may wrap
        // it); SQLite's rebuild and PostgreSQL's ALTER must be all or nothing.
        in_array($driver, ['mysql', 'mariadb'], true) ? $run() : $connection->transaction($run);
    }

    /** Not reversed: period rows have no place in the old shape's unique key. */
    public function down(): void
    {
    }
};
