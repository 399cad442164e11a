/* The SQL schema: see tally_schema.h. */
#include "sql/tally_schema.h"

#include <stdarg.h>
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

static char *format(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *s;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !(s = malloc((size_t)n + 1))) return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* Frees what was built when one statement could not be (out of memory). */
static int built(char **out, int n, tally_error *err)
{
    for (int i = 0; i < n; i++) {
        if (!out[i]) {
            while (n-- > 0) free(out[n]);
            tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building the schema");
            return -1;
        }
    }
    return n;
}

/* The counters table's CREATE TABLE for a dialect: "%s" the table, "%s" its unique key. */
static const char *counters_ddl(tally_dialect d)
{
    switch (d) {
    case TALLY_DIALECT_MYSQL:
        return "CREATE TABLE IF NOT EXISTS `%s` ("
               " `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,"
               " `owner_type` VARBINARY(255) NOT NULL,"
               " `owner_id` VARBINARY(255) NOT NULL,"
               " `key` VARBINARY(100) NOT NULL,"
               " `period` VARCHAR(7) NOT NULL DEFAULT '',"
               " `period_start` DATE NOT NULL DEFAULT '1970-01-01',"
               " `count` BIGINT NOT NULL DEFAULT 0,"
               " `sync_seq` BIGINT NOT NULL DEFAULT 0,"
               " `created_at` TIMESTAMP NULL DEFAULT NULL,"
               " `updated_at` TIMESTAMP NULL DEFAULT NULL,"
               " UNIQUE KEY `%s` (`owner_type`, `owner_id`, `key`, `period`, `period_start`)"
               ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
    case TALLY_DIALECT_SQLITE:
        return "CREATE TABLE IF NOT EXISTS \"%s\" ("
               " \"id\" INTEGER PRIMARY KEY AUTOINCREMENT,"
               " \"owner_type\" VARCHAR(255) NOT NULL,"
               " \"owner_id\" VARCHAR(255) NOT NULL,"
               " \"key\" VARCHAR(100) NOT NULL,"
               " \"period\" VARCHAR(7) NOT NULL DEFAULT '',"
               " \"period_start\" DATE NOT NULL DEFAULT '1970-01-01',"
               " \"count\" INTEGER NOT NULL DEFAULT 0 CHECK (typeof(\"count\") = 'integer'),"
               " \"sync_seq\" INTEGER NOT NULL DEFAULT 0,"
               " \"created_at\" DATETIME NULL,"
               " \"updated_at\" DATETIME NULL,"
               " CONSTRAINT \"%s\" UNIQUE (\"owner_type\", \"owner_id\", \"key\", \"period\", \"period_start\")"
               ")";
    case TALLY_DIALECT_PGSQL:
        return "CREATE TABLE IF NOT EXISTS \"%s\" ("
               " \"id\" BIGSERIAL PRIMARY KEY,"
               " \"owner_type\" VARCHAR(255) NOT NULL,"
               " \"owner_id\" VARCHAR(255) NOT NULL,"
               " \"key\" VARCHAR(100) NOT NULL,"
               " \"period\" VARCHAR(7) NOT NULL DEFAULT '',"
               " \"period_start\" DATE NOT NULL DEFAULT '1970-01-01',"
               " \"count\" BIGINT NOT NULL DEFAULT 0,"
               " \"sync_seq\" BIGINT NOT NULL DEFAULT 0,"
               " \"created_at\" TIMESTAMP(0) NULL,"
               " \"updated_at\" TIMESTAMP(0) NULL,"
               " CONSTRAINT \"%s\" UNIQUE (\"owner_type\", \"owner_id\", \"key\", \"period\", \"period_start\")"
               ")";
    }
    return NULL;
}

int tally_schema_ddl(tally_dialect d, const char *table, char **out, tally_error *err)
{
    const char *sync;
    char unique[TALLY_SCHEMA_IDENT_MAX + 1];
    int n = 0;

    if (tally_schema_check_table(table, strlen(table), err) != TALLY_OK) return -1;
    switch (d) {
    case TALLY_DIALECT_MYSQL:
        sync =
            "CREATE TABLE IF NOT EXISTS `%s_sync` ("
            " `name` VARBINARY(255) NOT NULL PRIMARY KEY,"
            " `fence` BIGINT NOT NULL DEFAULT 0,"
            " `updated_at` TIMESTAMP NULL DEFAULT NULL"
            ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
        break;
    case TALLY_DIALECT_SQLITE:
        sync =
            "CREATE TABLE IF NOT EXISTS \"%s_sync\" ("
            " \"name\" VARCHAR(255) NOT NULL PRIMARY KEY,"
            " \"fence\" INTEGER NOT NULL DEFAULT 0,"
            " \"updated_at\" DATETIME NULL"
            ")";
        break;
    case TALLY_DIALECT_PGSQL:
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
    out[n++] = format(counters_ddl(d), table, unique);
    out[n++] = format(sync, table);
    return built(out, n, err);
}

/* The old shape's unique key had the same name (unique_name()): it is replaced by one of
 * that name over the new identity. MySQL and PostgreSQL do it in one ALTER TABLE (atomic on
 * InnoDB; in PostgreSQL's transaction). SQLite cannot drop a table constraint: its
 * documented rebuild (https://sqlite.org/lang_altertable.html#otheralter) copies every
 * row, ids and sync_seq included, into a table of the new shape that then takes the old
 * one's name. */
int tally_schema_upgrade_ddl(tally_dialect d, const char *table, char **out, tally_error *err)
{
    char unique[TALLY_SCHEMA_IDENT_MAX + 1];
    static const char old_columns[] =
        "\"id\", \"owner_type\", \"owner_id\", \"key\", \"count\", \"sync_seq\", \"created_at\", \"updated_at\"";
    int n = 0;

    if (tally_schema_check_table(table, strlen(table), err) != TALLY_OK) return -1;
    unique_name(table, unique);
    switch (d) {
    case TALLY_DIALECT_MYSQL:
        out[n++] = format("ALTER TABLE `%s`"
                          " ADD COLUMN `period` VARCHAR(7) NOT NULL DEFAULT '' AFTER `key`,"
                          " ADD COLUMN `period_start` DATE NOT NULL DEFAULT '1970-01-01' AFTER `period`,"
                          " DROP INDEX `%s`,"
                          " ADD UNIQUE KEY `%s` (`owner_type`, `owner_id`, `key`, `period`, `period_start`)",
                          table, unique, unique);
        break;
    case TALLY_DIALECT_PGSQL:
        out[n++] = format("ALTER TABLE \"%s\""
                          " ADD COLUMN \"period\" VARCHAR(7) NOT NULL DEFAULT '',"
                          " ADD COLUMN \"period_start\" DATE NOT NULL DEFAULT '1970-01-01',"
                          " DROP CONSTRAINT \"%s\","
                          " ADD CONSTRAINT \"%s\" UNIQUE (\"owner_type\", \"owner_id\", \"key\", \"period\", \"period_start\")",
                          table, unique, unique);
        break;
    case TALLY_DIALECT_SQLITE: {
        char tmp[TALLY_TABLE_MAX + sizeof(TALLY_SCHEMA_UPGRADE_SUFFIX)];
        snprintf(tmp, sizeof(tmp), "%s" TALLY_SCHEMA_UPGRADE_SUFFIX, table);
        out[n++] = format(counters_ddl(d), tmp, unique);
        out[n++] = format("INSERT INTO \"%s\" (%s) SELECT %s FROM \"%s\"", tmp, old_columns, old_columns, table);
        out[n++] = format("DROP TABLE \"%s\"", table);
        out[n++] = format("ALTER TABLE \"%s\" RENAME TO \"%s\"", tmp, table);
        break;
    }
    default:
        tally_error_set(err, TALLY_ERR_ARGUMENT, "unknown SQL dialect %d", (int)d);
        return -1;
    }
    return built(out, n, err);
}

tally_code tally_schema_shape_of(const char *table, int columns, int has_period, int has_period_start,
                                 tally_schema_shape *out, tally_error *err)
{
    if (columns == 0) {
        *out = TALLY_SHAPE_MISSING;
    } else if (has_period && has_period_start) {
        *out = TALLY_SHAPE_CURRENT;
    } else if (!has_period && !has_period_start) {
        *out = TALLY_SHAPE_OLD;
    } else {
        return tally_error_set(err, TALLY_ERR_DATABASE,
                               "the counters table %s has column %s but not %s: neither Tally's current shape nor an "
                               "earlier release's; fix it by hand (see Tally\\Database::schema())", table,
                               has_period ? "period" : "period_start", has_period ? "period_start" : "period");
    }
    return TALLY_OK;
}

tally_code tally_schema_old_shape(tally_error *err, const char *where, const char *table)
{
    return tally_error_set(err, TALLY_ERR_DATABASE,
                           "%s: the counters table %s has the shape of an earlier Tally release (no period columns); "
                           "upgrade it with `php artisan migrate` (Laravel) or Tally\\Database::createTables(): "
                           "nothing was synced, pending counts stay in Redis", where, table);
}
