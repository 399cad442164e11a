/* What every sink shares: creating the schema's tables through the driver. */
#include "tally_sink.h"
#include "tally_schema.h"

#include <stdlib.h>
#include <string.h>

tally_code tally_sink_create_tables(tally_sink *s, tally_error *err)
{
    char *ddl[TALLY_SCHEMA_MAX_STATEMENTS];
    tally_dialect d = strcmp(s->ops->driver, "sqlite") == 0 ? TALLY_DIALECT_SQLITE : TALLY_DIALECT_MYSQL;
    tally_code rc = TALLY_OK;
    int n = tally_schema_ddl(d, s->table, ddl, err);
    if (n < 0) return err ? err->code : TALLY_ERR_ARGUMENT;
    for (int i = 0; i < n; i++) {
        if (rc == TALLY_OK) rc = s->ops->execute(s, ddl[i], err);
        free(ddl[i]);
    }
    return rc;
}
