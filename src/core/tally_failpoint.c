/* Failpoints: see tally_failpoint.h. */
#include "tally_failpoint.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int loaded;
static const char *spec;
static unsigned seed;

static void load(void)
{
    const char *s;
    loaded = 1;
    spec = getenv("TALLY_FAILPOINTS");
    if (spec && !*spec) spec = NULL;
    s = getenv("TALLY_FAILPOINTS_SEED");
    seed = s ? (unsigned)strtoul(s, NULL, 10) : (unsigned)getpid();
}

/* Finds "name=action" (or "*=action") in the comma-separated spec. */
static const char *action_for(const char *name)
{
    size_t nlen = strlen(name);
    const char *p = spec;
    while (p && *p) {
        const char *eq = strchr(p, '='), *end = strchr(p, ',');
        if (!end) end = p + strlen(p);
        if (eq && eq < end) {
            size_t klen = (size_t)(eq - p);
            if ((klen == nlen && memcmp(p, name, nlen) == 0) || (klen == 1 && *p == '*')) return eq + 1;
        }
        p = *end ? end + 1 : end;
    }
    return NULL;
}

int tally_failpoint(const char *name)
{
    const char *a;
    if (!loaded) load();
    if (!spec || !(a = action_for(name))) return 0;
    if (strncmp(a, "kill", 4) == 0) {
        if (a[4] == '%') {
            unsigned pct = (unsigned)strtoul(a + 5, NULL, 10);
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 16) % 100 >= pct) return 0;
        }
        raise(SIGKILL);
    }
    if (strncmp(a, "sleep:", 6) == 0) {
        /* Holds the run still at this instant, for tests of what another run does meanwhile. */
        unsigned long ms = strtoul(a + 6, NULL, 10);
        struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
        return 0;
    }
    return strncmp(a, "error", 5) == 0;
}
