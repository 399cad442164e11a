<?php

// Creates the counters table and its _sync fence table from the extension's DDL
// (Tally\Database::schema): the schema is defined once, in the extension.

declare(strict_types=1);

use Illuminate\Database\Migrations\Migration;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Schema;
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
        $table = $connection->getTablePrefix() . app(Settings::class)->table;
        foreach (Tally\Database::schema($driver, $table) as $statement) {
            $connection->statement($statement);
        }
    }

    public function down(): void
    {
        $schema = Schema::connection($this->getConnection());
        $table = app(Settings::class)->table;
        $schema->dropIfExists($table . '_sync');
        $schema->dropIfExists($table);
    }
};
