/* The SQL schema: see tally_schema.h. */
#include "sql/tally_schema.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

tally_code tally_schema_check_table(const char *t, size_t len, tally_error *err)
{
    if (len == 0 || len > TALLY_TABLE_MAX) {
        return tally_error_set(err, TALLY_ERR_ARGUMENT, "table name must be 1 to %d bytes long", TALLY_TABLE_MAX);
    }
    for (size_t i = 0; i < len; i++) {
        char c = t[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
            return tally_error_set(err, TALLY_ERR_ARGUMENT,
                                   "table name '%.*s' may only hold letters, digits and underscores", (int)len, t);
        }
    }
    return TALLY_OK;
}

/* The unique key's name: "<table>_counter_unique" while that fits MySQL's 64-byte
 * identifiers (every table an earlier release could create keeps its name); longer tables
 * get the table's first 40 bytes, a hash of the whole name and "_unique" (56 bytes, also
 * below PostgreSQL's 63), so that two long tables sharing a start still differ. */
static void unique_name(const char *table, char out[TALLY_SCHEMA_IDENT_MAX + 1])
{
    size_t len = strlen(table);
    uint32_t h = 2166136261u;                 /* FNV-1a */
    if (len + sizeof("_counter_unique") - 1 <= TALLY_SCHEMA_IDENT_MAX) {
        snprintf(out, TALLY_SCHEMA_IDENT_MAX + 1, "%s_counter_unique", table);
        return;
    }
    for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)table[i]) * 16777619u;
    snprintf(out, TALLY_SCHEMA_IDENT_MAX + 1, "%.40s_%08x_unique", table, (unsigned)h);
}

static char *format(const char *fmt, const char *a, const char *b)
{
    size_t n = strlen(fmt) + 2 * (strlen(a) + strlen(b)) + 1;
    char *s = malloc(n);
    if (s) snprintf(s, n, fmt, a, b);
    return s;
}

int tally_schema_ddl(tally_dialect d, const char *table, char **out, tally_error *err)
{
    const char *counters, *sync;
    char unique[TALLY_SCHEMA_IDENT_MAX + 1];
    int n = 0;

    if (tally_schema_check_table(table, strlen(table), err) != TALLY_OK) return -1;
    switch (d) {
    case TALLY_DIALECT_MYSQL:
        counters =
            "CREATE TABLE IF NOT EXISTS `%s` ("
            " `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,"
            " `owner_type` VARBINARY(255) NOT NULL,"
            " `owner_id` VARBINARY(255) NOT NULL,"
            " `key` VARBINARY(100) NOT NULL,"
            " `count` BIGINT NOT NULL DEFAULT 0,"
            " `sync_seq` BIGINT NOT NULL DEFAULT 0,"
            " `created_at` TIMESTAMP NULL DEFAULT NULL,"
            " `updated_at` TIMESTAMP NULL DEFAULT NULL,"
            " UNIQUE KEY `%s` (`owner_type`, `owner_id`, `key`)"
            ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
        sync =
            "CREATE TABLE IF NOT EXISTS `%s_sync` ("
            " `name` VARBINARY(255) NOT NULL PRIMARY KEY,"
            " `fence` BIGINT NOT NULL DEFAULT 0,"
            " `updated_at` TIMESTAMP NULL DEFAULT NULL"
            ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
        break;
    case TALLY_DIALECT_SQLITE:
        counters =
            "CREATE TABLE IF NOT EXISTS \"%s\" ("
            " \"id\" INTEGER PRIMARY KEY AUTOINCREMENT,"
            " \"owner_type\" VARCHAR(255) NOT NULL,"
            " \"owner_id\" VARCHAR(255) NOT NULL,"
            " \"key\" VARCHAR(100) NOT NULL,"
            " \"count\" INTEGER NOT NULL DEFAULT 0 CHECK (typeof(\"count\") = 'integer'),"
            " \"sync_seq\" INTEGER NOT NULL DEFAULT 0,"
            " \"created_at\" DATETIME NULL,"
            " \"updated_at\" DATETIME NULL,"
            " CONSTRAINT \"%s\" UNIQUE (\"owner_type\", \"owner_id\", \"key\")"
            ")";
        sync =
            "CREATE TABLE IF NOT EXISTS \"%s_sync\" ("
            " \"name\" VARCHAR(255) NOT NULL PRIMARY KEY,"
            " \"fence\" INTEGER NOT NULL DEFAULT 0,"
            " \"updated_at\" DATETIME NULL"
            ")";
        break;
    case TALLY_DIALECT_PGSQL:
        counters =
            "CREATE TABLE IF NOT EXISTS \"%s\" ("
            " \"id\" BIGSERIAL PRIMARY KEY,"
            " \"owner_type\" VARCHAR(255) NOT NULL,"
            " \"owner_id\" VARCHAR(255) NOT NULL,"
            " \"key\" VARCHAR(100) NOT NULL,"
            " \"count\" BIGINT NOT NULL DEFAULT 0,"
            " \"sync_seq\" BIGINT NOT NULL DEFAULT 0,"
            " \"created_at\" TIMESTAMP(0) NULL,"
            " \"updated_at\" TIMESTAMP(0) NULL,"
            " CONSTRAINT \"%s\" UNIQUE (\"owner_type\", \"owner_id\", \"key\")"
            ")";
        sync =
            "CREATE TABLE IF NOT EXISTS \"%s_sync\" ("
            " \"name\" VARCHAR(255) NOT NULL PRIMARY KEY,"
            " \"fence\" BIGINT NOT NULL DEFAULT 0,"
            " \"updated_at\" TIMESTAMP(0) NULL"
            ")";
        break;
    default:
        tally_error_set(err, TALLY_ERR_ARGUMENT, "unknown SQL dialect %d", (int)d);
        return -1;
    }
    unique_name(table, unique);
    out[n++] = format(counters, table, unique);
    out[n++] = format(sync, table, "");
    for (int i = 0; i < n; i++) {
        if (!out[i]) {
            while (n-- > 0) free(out[n]);
            tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building the schema");
            return -1;
        }
    }
    return n;
}
