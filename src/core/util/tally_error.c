/* Error reporting for the core: see tally_error.h. */
#include "util/tally_error.h"

#include <stdarg.h>
#include <stdio.h>

tally_code tally_error_set(tally_error *err, tally_code code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
        va_end(ap);
    }
    return code;
}

void tally_error_clear(tally_error *err)
{
    if (err) {
        err->code = TALLY_OK;
        err->msg[0] = '\0';
    }
}

const char *tally_error_name(tally_code code)
{
    switch (code) {
    case TALLY_OK: return "ok";
    case TALLY_ERR_ARGUMENT: return "argument";
    case TALLY_ERR_CONNECT: return "connect";
    case TALLY_ERR_AUTH: return "auth";
    case TALLY_ERR_SERVER: return "server";
    case TALLY_ERR_PROTOCOL: return "protocol";
    case TALLY_ERR_WRONGTYPE: return "wrongtype";
    case TALLY_ERR_OVERFLOW: return "overflow";
    case TALLY_ERR_DATABASE: return "database";
    case TALLY_ERR_MEMORY: return "memory";
    case TALLY_ERR_REJECTED: return "rejected";
    case TALLY_ERR_REPLICAS: return "replicas";
    }
    return "unknown";
}
