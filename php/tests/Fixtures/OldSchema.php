<?php

// The counters tables as the release before periods created them (tally_schema.c's DDL of
// that release, verbatim): what the upgrade migration must upgrade without losing a count.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

final class OldSchema
{
    /** @return list<string> */
    public static function ddl(string $driver, string $table): array
    {
        return match ($driver) {
            'mysql', 'mariadb' => [
                "CREATE TABLE IF NOT EXISTS `{$table}` ( `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, `owner_type` VARBINARY(255) NOT NULL,"
                . " `owner_id` VARBINARY(255) NOT NULL, `key` VARBINARY(100) NOT NULL, `count` BIGINT NOT NULL DEFAULT 0, `sync_seq` BIGINT NOT NULL"
                . " DEFAULT 0, `created_at` TIMESTAMP NULL DEFAULT NULL, `updated_at` TIMESTAMP NULL DEFAULT NULL, UNIQUE KEY"
                . " `{$table}_counter_unique` (`owner_type`, `owner_id`, `key`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                "CREATE TABLE IF NOT EXISTS `{$table}_sync` ( `name` VARBINARY(255) NOT NULL PRIMARY KEY, `fence` BIGINT NOT NULL DEFAULT 0,"
                . " `updated_at` TIMESTAMP NULL DEFAULT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
            ],
            'sqlite' => [
                "CREATE TABLE IF NOT EXISTS \"{$table}\" ( \"id\" INTEGER PRIMARY KEY AUTOINCREMENT, \"owner_type\" VARCHAR(255) NOT NULL,"
                . " \"owner_id\" VARCHAR(255) NOT NULL, \"key\" VARCHAR(100) NOT NULL, \"count\" INTEGER NOT NULL DEFAULT 0 CHECK"
                . " (typeof(\"count\") = 'integer'), \"sync_seq\" INTEGER NOT NULL DEFAULT 0, \"created_at\" DATETIME NULL, \"updated_at\""
                . " DATETIME NULL, CONSTRAINT \"{$table}_counter_unique\" UNIQUE (\"owner_type\", \"owner_id\", \"key\"))",
                "CREATE TABLE IF NOT EXISTS \"{$table}_sync\" ( \"name\" VARCHAR(255) NOT NULL PRIMARY KEY, \"fence\" INTEGER NOT NULL"
                . " DEFAULT 0, \"updated_at\" DATETIME NULL)",
            ],
            'pgsql' => [
                "CREATE TABLE IF NOT EXISTS \"{$table}\" ( \"id\" BIGSERIAL PRIMARY KEY, \"owner_type\" VARCHAR(255) NOT NULL, \"owner_id\""
                . " VARCHAR(255) NOT NULL, \"key\" VARCHAR(100) NOT NULL, \"count\" BIGINT NOT NULL DEFAULT 0, \"sync_seq\" BIGINT NOT NULL"
                . " DEFAULT 0, \"created_at\" TIMESTAMP(0) NULL, \"updated_at\" TIMESTAMP(0) NULL, CONSTRAINT \"{$table}_counter_unique\""
                . " UNIQUE (\"owner_type\", \"owner_id\", \"key\"))",
                "CREATE TABLE IF NOT EXISTS \"{$table}_sync\" ( \"name\" VARCHAR(255) NOT NULL PRIMARY KEY, \"fence\" BIGINT NOT NULL"
                . " DEFAULT 0, \"updated_at\" TIMESTAMP(0) NULL)",
            ],
        };
    }
}
