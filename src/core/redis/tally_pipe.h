/* A pipeline of Redis commands and Tally scripts (tally_script.h), written in one go and
 * read later, so that the caller can do other work while Redis answers.
 *
 *   tally_pipe_init()      an empty pipeline on a connection
 *   tally_pipe_script()    add one script call (EVALSHA; NOSCRIPT is retried with EVAL)
 *   tally_pipe_command()   add one plain command
 *   tally_pipe_send()      write everything
 *   tally_pipe_recv()      read every reply
 *   tally_pipe_take()      one reply, now the caller's
 *   tally_pipe_drain()     read what is outstanding, then reset
 *   tally_pipe_reset() / tally_pipe_free()
 *   tally_pipe_run_many()  n calls of one script in one round trip
 */
#ifndef TALLY_PIPE_H
#define TALLY_PIPE_H

#include <stddef.h>

#include "redis/tally_conn.h"
#include "redis/tally_script.h"

/* n calls of script id with argc words each, call i's in argv[i * argc ..] (numkeys keys
 * first), in one round trip; replies[i] are the scripts' replies, freed by the caller. */
tally_code tally_pipe_run_many(tally_conn *conn, tally_script_id id, int numkeys, int n, int argc,
                                 const char *const *argv, const size_t *argvlen,
                                 redisReply **replies, tally_error *err);

/* A pipeline: add scripts and commands, send them in one write, do something else (the
 * SQL commit of a sync batch) while Redis works, then read every reply. Words are not
 * copied: they must stay valid until tally_pipe_recv() returns (a NOSCRIPT reply is
 * retried there with EVAL, after all replies are in). Reply i belongs to command i. */
typedef struct {
    size_t off;
    int argc;
    int script;             /* a tally_script_id, or -1 for a plain command */
} tally_pipe_cmd;

typedef struct {
    tally_conn *conn;
    const char **words;
    size_t *lens;
    size_t nwords, cap_words, cap_lens;
    tally_pipe_cmd *cmds;
    size_t n, cap_cmds;
    redisReply **replies;
    size_t cap_replies;
    redisReply **retry_replies;
    char **owned;           /* words the pipeline made (key counts above 9), freed on reset */
    size_t n_owned, cap_owned;
    int sent, received;
} tally_pipe;

void tally_pipe_init(tally_pipe *p, tally_conn *conn);
tally_code tally_pipe_script(tally_pipe *p, tally_script_id id, int numkeys, int argc,
                             const char *const *argv, const size_t *lens, tally_error *err);
tally_code tally_pipe_command(tally_pipe *p, int argc, const char *const *argv, const size_t *lens,
                              tally_error *err);
tally_code tally_pipe_send(tally_pipe *p, tally_error *err);
/* Reads all replies; on an error none is kept (the connection is dropped). */
tally_code tally_pipe_recv(tally_pipe *p, tally_error *err);
/* Reply i (NULL if taken or not received); the caller frees it. */
redisReply *tally_pipe_take(tally_pipe *p, size_t i);
/* Reads what is outstanding (so the connection is usable again), then resets. */
tally_code tally_pipe_drain(tally_pipe *p, tally_error *err);
/* Frees untaken replies and empties the pipeline, keeping its buffers. */
void tally_pipe_reset(tally_pipe *p);
void tally_pipe_free(tally_pipe *p);

#endif
