/* Which process this is, without a system call per question: the pid is cached at start
 * and refreshed in the child by a fork handler. Connections and buffered increments use
 * it to tell a forked child from the process that created them.
 *
 *   tally_proc_init()  cache the pid and register the fork handler (once, at module start)
 *   tally_proc_pid()   the current process's pid
 */
#ifndef TALLY_PROC_H
#define TALLY_PROC_H

#include <sys/types.h>

void tally_proc_init(void);
pid_t tally_proc_pid(void);

#endif
