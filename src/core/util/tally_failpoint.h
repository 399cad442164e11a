/* Failpoints: named instants in the sync engine where tests make a run die or fail on
 * purpose, to prove nothing is lost or counted twice whatever the instant.
 *
 * Off unless the environment variable TALLY_FAILPOINTS is set (read once per process),
 * e.g. "after-commit=kill", "before-commit=error", "*=kill%5" (every failpoint kills the
 * process with 5% probability, seeded by TALLY_FAILPOINTS_SEED or the pid),
 * "before-commit=sleep:2000" (waits 2 s there, so that a test can act meanwhile; "%P" too).
 * Every matching entry acts, in order: "*=sleep:1300%4,*=kill%12".
 *
 *   tally_failpoint()   at a named instant: may raise SIGKILL or sleep; returns 1 for "error"
 */
#ifndef TALLY_FAILPOINT_H
#define TALLY_FAILPOINT_H

int tally_failpoint(const char *name);

#endif
