/* The SQL schema, once for every consumer: the native sinks, the Laravel migration (which
 * asks the extension for these statements) and the tests.
 *
 * <table>          one row per counter: owner_type, owner_id, key (exact bytes: VARBINARY on
 *                  MariaDB/MySQL, TEXT compared with SQLite's binary collation), period
 *                  (VARCHAR(7): '' for a lifetime counter, else 'day', 'week', 'month',
 *                  'quarter' or 'year', see util/tally_period.h), period_start (DATE: the
 *                  period's first day, '1970-01-01' for lifetime), count (signed BIGINT),
 *                  sync_seq (the claim that last wrote it, see tally_sync.h), created_at,
 *                  updated_at. Global counters use '' for type and id: the columns are NOT
 *                  NULL, lifetime counters have sentinels, so the unique key (owner_type,
 *                  owner_id, key, period, period_start) identifies one counter on every
 *                  engine; its leftmost part serves lookups by owner, and all of it history
 *                  reads (owner, key, period, a range of period_start). No column is called
 *                  `interval`: a reserved word in MySQL.
 *                  On SQLite a CHECK keeps count an integer: SQLite turns an overflowing sum
 *                  into a float, which must fail the batch as BIGINT overflow does elsewhere.
 * <table>_sync     one row per Redis prefix: the fence of the newest sync run.
 *
 *   tally_schema_check_table()  validate a table name (letters, digits, _; 1-56 bytes)
 *   tally_schema_ddl()          the CREATE TABLE statements for a dialect
 *   tally_schema_upgrade_ddl()  the statements that upgrade a table of an earlier release
 *                               (no period columns, unique key over (owner_type, owner_id,
 *                               key)) in place, keeping every row, id and sync_seq
 *   tally_schema_shape_of()     which shape a table has, from the columns it has
 *   tally_schema_old_shape()    the error of a sync that finds the old shape: names the upgrade
 */
#ifndef TALLY_SCHEMA_H
#define TALLY_SCHEMA_H

#include <stddef.h>
#include "util/tally_error.h"

typedef enum {
    TALLY_DIALECT_MYSQL = 0,   /* MariaDB and MySQL */
    TALLY_DIALECT_SQLITE,
    TALLY_DIALECT_PGSQL        /* only for the PHP sink (Laravel's own connection) */
} tally_dialect;

#define TALLY_TABLE_MAX 56     /* leaves room for "_sync" within identifier limits */
#define TALLY_SCHEMA_IDENT_MAX 64   /* MySQL's identifier limit; the unique key's name fits it */

/* Column widths, in bytes; the key codec (tally_key.h) refuses what would not fit. */
#define TALLY_PREFIX_MAX      255   /* <table>_sync.name: one row per Redis prefix */
#define TALLY_OWNER_TYPE_MAX  255   /* owner_type */
#define TALLY_OWNER_ID_MAX    255   /* owner_id */
#define TALLY_KEY_MAX_DEFAULT 100   /* key */

tally_code tally_schema_check_table(const char *table, size_t len, tally_error *err);

/* Writes up to TALLY_SCHEMA_MAX_STATEMENTS statements into out[] (malloc'd; free each).
 * Returns how many, or -1 (err filled). */
#define TALLY_SCHEMA_MAX_STATEMENTS 4
int tally_schema_ddl(tally_dialect dialect, const char *table, char **out, tally_error *err);

/* The same for the upgrade, to run in ONE transaction and only on a table of the old shape
 * (SQLite's are a rebuild through <table>__tally_upgrade: a transaction keeps it all or
 * nothing; MySQL's one ALTER TABLE is atomic of itself). */
#define TALLY_SCHEMA_UPGRADE_SUFFIX "__tally_upgrade"
int tally_schema_upgrade_ddl(tally_dialect dialect, const char *table, char **out, tally_error *err);

typedef enum {
    TALLY_SHAPE_MISSING = 0,   /* no such table */
    TALLY_SHAPE_OLD,           /* an earlier release's: no period columns */
    TALLY_SHAPE_CURRENT
} tally_schema_shape;

/* columns: how many the table has (0: it does not exist); has_*: whether it has that one.
 * A table with one of the period columns only is an error (err filled). */
tally_code tally_schema_shape_of(const char *table, int columns, int has_period, int has_period_start,
                                 tally_schema_shape *out, tally_error *err);
tally_code tally_schema_old_shape(tally_error *err, const char *where, const char *table);

#endif
