/* Failpoints: see tally_failpoint.h. */
#include "util/tally_failpoint.h"

#ifdef TALLY_FAILPOINTS_ENABLED

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

/* Whether this roll hits, for an action with an optional "%P" (P percent) suffix. */
static int roll(const char *pct)
{
    unsigned p;
    if (*pct != '%') return 1;
    p = (unsigned)strtoul(pct + 1, NULL, 10);
    seed = seed * 1103515245u + 12345u;
    return (seed >> 16) % 100 < p;
}

/* Runs one action: kill[%P], sleep:MS[%P] or error. Returns 1 for an error. */
static int act(const char *a)
{
    if (strncmp(a, "kill", 4) == 0) {
        if (roll(a + 4)) raise(SIGKILL);
        return 0;
    }
    if (strncmp(a, "sleep:", 6) == 0) {
        /* Holds the run still at this instant, for tests of what another run does meanwhile. */
        char *end;
        unsigned long ms = strtoul(a + 6, &end, 10);
        struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
        if (!roll(end)) return 0;
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
        return 0;
    }
    return strncmp(a, "error", 5) == 0;
}

/* Every "name=action" (or "*=action") of the comma-separated spec, in order. */
int tally_failpoint(const char *name)
{
    size_t nlen = strlen(name);
    const char *p;
    int fail = 0;
    if (!loaded) load();
    for (p = spec; p && *p;) {
        const char *eq = strchr(p, '='), *end = strchr(p, ',');
        if (!end) end = p + strlen(p);
        if (eq && eq < end) {
            size_t klen = (size_t)(eq - p);
            if ((klen == nlen && memcmp(p, name, nlen) == 0) || (klen == 1 && *p == '*')) fail |= act(eq + 1);
        }
        p = *end ? end + 1 : end;
    }
    return fail;
}

#else

/* A release build: the header's inline no-op is all there is (ISO C wants a declaration). */
typedef int tally_failpoint_release_build;

#endif
