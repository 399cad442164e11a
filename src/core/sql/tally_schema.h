/* The SQL schema, once for every consumer: the native sinks, the Laravel migration (which
 * asks the extension for these statements) and the tests.
 *
 * <table>          one row per counter: owner_type, owner_id, key (exact bytes: VARBINARY on
 *                  MariaDB/MySQL, TEXT compared with SQLite's binary collation), count (signed
 *                  BIGINT), sync_seq (the claim that last wrote it, see tally_sync.h),
 *                  created_at, updated_at. Global counters use '' for type and id: the columns
 *                  are NOT NULL so the unique key (owner_type, owner_id, key) identifies one
 *                  counter on every engine; its leftmost part serves lookups by owner.
 *                  On SQLite a CHECK keeps count an integer: SQLite turns an overflowing sum
 *                  into a float, which must fail the batch as BIGINT overflow does elsewhere.
 * <table>_sync     one row per Redis prefix: the fence of the newest sync run.
 *
 *   tally_schema_check_table()  validate a table name (letters, digits, _; 1-56 bytes)
 *   tally_schema_ddl()          the CREATE TABLE statements for a dialect, NUL-separated
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

#endif
