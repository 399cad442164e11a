/* A pipeline of Redis commands and Tally scripts: see tally_pipe.h. */
#include "redis/tally_pipe.h"
#include "redis/tally_reply.h"
#include "util/tally_grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Numkeys as text, for the few key counts the scripts use. */
static const char *numkeys_text(int numkeys)
{
    static const char *const t[] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    return numkeys >= 0 && numkeys < 10 ? t[numkeys] : NULL;
}

void tally_pipe_init(tally_pipe *p, tally_conn *conn)
{
    memset(p, 0, sizeof(*p));
    p->conn = conn;
}

static tally_code pipe_add(tally_pipe *p, int script, const char *w0, const char *w1, size_t l1, const char *w2,
                           int argc, const char *const *argv, const size_t *lens, tally_error *err)
{
    int head = w0 ? (w2 ? 3 : 1) : 0;
    size_t need = p->nwords + (size_t)head + (size_t)argc;
    tally_pipe_cmd *c;

    if (tally_grow((void **)&p->words, &p->cap_words, need, sizeof(*p->words))
        || tally_grow((void **)&p->lens, &p->cap_lens, need, sizeof(*p->lens))
        || tally_grow((void **)&p->cmds, &p->cap_cmds, p->n + 1, sizeof(*p->cmds))) {
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a pipeline");
    }
    c = &p->cmds[p->n++];
    c->off = p->nwords;
    c->argc = head + argc;
    c->script = script;
    if (head == 3) {
        p->words[p->nwords] = w0;     p->lens[p->nwords++] = strlen(w0);
        p->words[p->nwords] = w1;     p->lens[p->nwords++] = l1;
        p->words[p->nwords] = w2;     p->lens[p->nwords++] = strlen(w2);
    }
    memcpy(p->words + p->nwords, argv, sizeof(*p->words) * (size_t)argc);
    memcpy(p->lens + p->nwords, lens, sizeof(*p->lens) * (size_t)argc);
    p->nwords += (size_t)argc;
    return TALLY_OK;
}

tally_code tally_pipe_command(tally_pipe *p, int argc, const char *const *argv, const size_t *lens, tally_error *err)
{
    return pipe_add(p, -1, NULL, NULL, 0, NULL, argc, argv, lens, err);
}

tally_code tally_pipe_script(tally_pipe *p, tally_script_id id, int numkeys, int argc,
                             const char *const *argv, const size_t *lens, tally_error *err)
{
    const char *nk = numkeys_text(numkeys);
    if (numkeys < 0 || numkeys > argc) return tally_error_set(err, TALLY_ERR_ARGUMENT, "bad key count for a script");
    if (!nk) {
        /* Words are not copied: a count of ten keys or more gets text of its own, kept
         * until the pipeline is reset. */
        char *text = malloc(12);
        if (!text || tally_grow((void **)&p->owned, &p->cap_owned, p->n_owned + 1, sizeof(*p->owned))) {
            free(text);
            return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory building a pipeline");
        }
        snprintf(text, 12, "%d", numkeys);
        p->owned[p->n_owned++] = text;
        nk = text;
    }
    return pipe_add(p, (int)id, "EVALSHA", tally_script_sha(id), 40, nk, argc, argv, lens, err);
}

/* Sends commands [from, to) and, when they are all sent, nothing else is outstanding. */
static tally_code pipe_write(tally_pipe *p, size_t from, size_t to, const size_t *which, tally_error *err)
{
    size_t n = to - from;
    const char ***cv = malloc(sizeof(*cv) * (n ? n : 1));
    const size_t **cl = malloc(sizeof(*cl) * (n ? n : 1));
    int *cc = malloc(sizeof(*cc) * (n ? n : 1));
    tally_code rc;

    if (!cv || !cl || !cc) {
        rc = tally_error_set(err, TALLY_ERR_MEMORY, "out of memory sending a pipeline");
    } else {
        for (size_t i = 0; i < n; i++) {
            const tally_pipe_cmd *c = &p->cmds[which ? which[from + i] : from + i];
            cv[i] = p->words + c->off;
            cl[i] = p->lens + c->off;
            cc[i] = c->argc;
        }
        rc = which ? tally_conn_pipeline(p->conn, (int)n, cc, (const char *const *const *)cv, cl,
                                         p->retry_replies, err)
                   : tally_conn_send(p->conn, (int)n, cc, (const char *const *const *)cv, cl, err);
    }
    free(cv);
    free(cl);
    free(cc);
    return rc;
}

tally_code tally_pipe_send(tally_pipe *p, tally_error *err)
{
    if (p->sent) return tally_error_set(err, TALLY_ERR_ARGUMENT, "pipeline sent twice");
    if (tally_grow((void **)&p->replies, &p->cap_replies, p->n ? p->n : 1, sizeof(*p->replies))) {
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory sending a pipeline");
    }
    memset(p->replies, 0, sizeof(*p->replies) * p->n);
    p->sent = 1;
    if (p->n == 0) return TALLY_OK;
    return pipe_write(p, 0, p->n, NULL, err);
}

tally_code tally_pipe_recv(tally_pipe *p, tally_error *err)
{
    size_t *which = NULL, missing = 0;
    tally_code rc;

    if (!p->sent) return tally_error_set(err, TALLY_ERR_ARGUMENT, "pipeline received before it was sent");
    if (p->n == 0 || p->received) return TALLY_OK;
    p->received = 1;
    if ((rc = tally_conn_recv(p->conn, (int)p->n, p->replies, err))) {
        memset(p->replies, 0, sizeof(*p->replies) * p->n);
        return rc;
    }
    /* NOSCRIPT means that call did not run: the EVAL retry cannot apply anything twice. */
    for (size_t i = 0; i < p->n; i++) {
        redisReply *r = p->replies[i];
        if (p->cmds[i].script >= 0 && tally_script_missing(r)) {
            if (!which && !(which = malloc(sizeof(*which) * p->n))) {
                return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory re-sending scripts");
            }
            which[missing++] = i;
        }
    }
    if (missing == 0) return TALLY_OK;
    p->retry_replies = calloc(missing, sizeof(*p->retry_replies));
    if (!p->retry_replies) {
        free(which);
        return tally_error_set(err, TALLY_ERR_MEMORY, "out of memory re-sending scripts");
    }
    for (size_t k = 0; k < missing; k++) {
        tally_pipe_cmd *c = &p->cmds[which[k]];
        p->words[c->off] = "EVAL";
        p->lens[c->off] = 4;
        p->words[c->off + 1] = tally_script_source((tally_script_id)c->script, &p->lens[c->off + 1]);
    }
    rc = pipe_write(p, 0, missing, which, err);
    for (size_t k = 0; k < missing; k++) {
        tally_reply_free(p->replies[which[k]]);
        p->replies[which[k]] = rc == TALLY_OK ? p->retry_replies[k] : NULL;
    }
    free(p->retry_replies);
    p->retry_replies = NULL;
    free(which);
    return rc;
}

redisReply *tally_pipe_take(tally_pipe *p, size_t i)
{
    redisReply *r = i < p->n && p->replies ? p->replies[i] : NULL;
    if (r) p->replies[i] = NULL;
    return r;
}

tally_code tally_pipe_drain(tally_pipe *p, tally_error *err)
{
    tally_code rc = TALLY_OK;
    if (p->sent && !p->received) rc = tally_pipe_recv(p, err);
    tally_pipe_reset(p);
    return rc;
}

void tally_pipe_reset(tally_pipe *p)
{
    if (p->sent && p->replies) {
        for (size_t i = 0; i < p->n; i++) {
            if (p->replies[i]) tally_reply_free(p->replies[i]);
            p->replies[i] = NULL;
        }
    }
    for (size_t i = 0; i < p->n_owned; i++) free(p->owned[i]);
    p->n = p->nwords = p->n_owned = 0;
    p->sent = p->received = 0;
}

void tally_pipe_free(tally_pipe *p)
{
    tally_pipe_reset(p);
    free(p->words);
    free(p->lens);
    free(p->cmds);
    free(p->replies);
    free(p->owned);
    memset(p, 0, sizeof(*p));
}

tally_code tally_pipe_run_many(tally_conn *conn, tally_script_id id, int numkeys, int n, int argc,
                                 const char *const *argv, const size_t *argvlen,
                                 redisReply **replies, tally_error *err)
{
    tally_pipe p;
    tally_code rc = TALLY_OK;

    tally_pipe_init(&p, conn);
    for (int i = 0; i < n && rc == TALLY_OK; i++) {
        rc = tally_pipe_script(&p, id, numkeys, argc, argv + (size_t)argc * (size_t)i,
                               argvlen + (size_t)argc * (size_t)i, err);
    }
    if (rc == TALLY_OK) rc = tally_pipe_send(&p, err);
    if (rc == TALLY_OK) rc = tally_pipe_recv(&p, err);
    for (int i = 0; rc == TALLY_OK && i < n; i++) replies[i] = tally_pipe_take(&p, (size_t)i);
    tally_pipe_free(&p);
    return rc;
}
