/* Which process this is: see tally_proc.h. */
#include "util/tally_proc.h"

#include <unistd.h>
#ifndef _WIN32
# include <pthread.h>
#endif

static pid_t cached_pid;
static int registered;

/* Runs in the child of every fork() (pcntl_fork, php-fpm workers): from here on, this
 * process is not the one that cached the pid. */
static void after_fork_in_child(void)
{
    cached_pid = getpid();
}

void tally_proc_init(void)
{
    cached_pid = getpid();
#ifndef _WIN32
    if (!registered && pthread_atfork(NULL, NULL, after_fork_in_child) == 0) registered = 1;
#endif
}

pid_t tally_proc_pid(void)
{
    /* Before init (plain-C tests) or without a fork handler, ask the kernel. */
    return registered ? cached_pid : getpid();
}
