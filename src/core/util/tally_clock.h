/* The monotonic clock, in seconds, for deadlines and run times (never the wall clock, which
 * can jump), and a sleep for backoffs.
 *
 *   tally_clock_now()    seconds since an arbitrary start, monotonic
 *   tally_clock_sleep()  sleep for s seconds (s >= 0)
 */
#ifndef TALLY_CLOCK_H
#define TALLY_CLOCK_H

#include <time.h>

static inline double tally_clock_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void tally_clock_sleep(double s)
{
    struct timespec ts = {.tv_sec = (time_t)s, .tv_nsec = (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

#endif
