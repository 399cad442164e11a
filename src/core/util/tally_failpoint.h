/* Failpoints: named instants in the sync engine where tests make a run die or fail on
 * purpose, to prove nothing is lost or counted twice whatever the instant.
 *
 * Compiled in only by configure --enable-tally-failpoints (scripts/setup does, for the tests);
 * a release build has none. Off unless the environment variable TALLY_FAILPOINTS is set (read once per process),
 * e.g. "after-commit=kill", "before-commit=error", "*=kill%5" (every failpoint kills the
 * process with 5% probability, seeded by TALLY_FAILPOINTS_SEED or the pid),
 * "before-commit=sleep:2000" (waits 2 s there, so that a test can act meanwhile; "%P" too).
 * Every matching entry acts, in order: "*=sleep:1300%4,*=kill%12".
 *
 *   tally_failpoint()   at a named instant: may raise SIGKILL or sleep; returns 1 for "error"
 */
#ifndef TALLY_FAILPOINT_H
#define TALLY_FAILPOINT_H

#ifdef TALLY_FAILPOINTS_ENABLED
/* Only in test builds (configure --enable-tally-failpoints). */
int tally_failpoint(const char *name);
#else
/* A release build: no failpoint, whatever TALLY_FAILPOINTS says; the compiler drops the call. */
static inline int tally_failpoint(const char *name)
{
    (void)name;
    return 0;
}
#endif

#endif
