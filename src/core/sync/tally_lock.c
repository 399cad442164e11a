/* The sync lock: see tally_lock.h. */
#include "sync/tally_lock.h"
#include "redis/tally_reply.h"
#include "util/tally_failpoint.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* 128 random bits as hex; without /dev/urandom, bits that still differ between processes. */
static void random_token(char out[33])
{
    unsigned char buf[16];
    static const char hex[] = "0123456789abcdef";
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    ssize_t got = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
    if (fd >= 0) close(fd);
    if (got != (ssize_t)sizeof(buf)) {
        struct timespec ts;
        uint64_t x;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        x = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_nsec;
        for (size_t i = 0; i < sizeof(buf); i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            buf[i] = (unsigned char)(x >> 56);
        }
    }
    for (size_t i = 0; i < sizeof(buf); i++) {
        out[2 * i] = hex[buf[i] >> 4];
        out[2 * i + 1] = hex[buf[i] & 15];
    }
    out[32] = '\0';
}

void tally_lock_init(tally_lock *l, const char *prefix, size_t prefix_len, long ttl_ms)
{
    memcpy(l->key, prefix, prefix_len);
    memcpy(l->key + prefix_len, "{}:sync:lock", 13);
    l->key_len = prefix_len + 12;
    random_token(l->token);
    l->ttl_len = (size_t)snprintf(l->ttl, sizeof(l->ttl), "%ld", ttl_ms);
}

/* SET NX answered nil: someone holds the lock, or the key is not a lock at all. A key of
 * another type there would make every run report `locked` forever, silently. */
static tally_code check_holder(tally_conn *conn, const tally_lock *l, tally_error *err)
{
    const char *argv[2] = {"TYPE", l->key};
    size_t lens[2] = {4, l->key_len};
    redisReply *r;
    tally_code rc;
    if ((rc = tally_conn_command(conn, 2, argv, lens, &r, err))) return rc;
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "checking the sync lock", err);
    } else if (r->type == REDIS_REPLY_STATUS && strcmp(r->str, "string") != 0 && strcmp(r->str, "none") != 0) {
        /* "none": released since; the run just finds it locked this time. */
        rc = tally_error_set(err, TALLY_ERR_WRONGTYPE,
                             "the sync lock key '%.*s' holds a %s, not a lock token: delete it (no run can hold the lock while it is there)",
                             (int)l->key_len, l->key, r->str);
    }
    tally_reply_free(r);
    return rc;
}

/* The connection failed around SET NX: it may have been applied, so this run may hold the
 * lock without knowing. Only our token can be deleted, so releasing is safe either way
 * and spares the next runs the TTL (the release reconnects; it is best effort). */
static tally_code release_after_lost_reply(tally_conn *conn, const tally_lock *l, tally_error *err)
{
    tally_lock_release(conn, l);
    if (err) {
        size_t n = strlen(err->msg);
        snprintf(err->msg + n, sizeof(err->msg) - n, "; the lock was released in case the SET had taken it");
    }
    return TALLY_ERR_CONNECT;
}

tally_code tally_lock_take(tally_conn *conn, const tally_lock *l, int *taken, tally_error *err)
{
    const char *argv[6] = {"SET", l->key, l->token, "NX", "PX", l->ttl};
    size_t lens[6] = {3, l->key_len, 32, 2, 2, l->ttl_len};
    redisReply *r;
    tally_code rc;
    *taken = 0;
    rc = tally_conn_command(conn, 6, argv, lens, &r, err);
    if (rc == TALLY_OK && tally_failpoint("lock-reply-lost")) {
        /* The SET was applied, its reply lost: what a read timeout after the write is. */
        tally_reply_free(r);
        rc = tally_error_set(err, TALLY_ERR_CONNECT, "taking the sync lock: failpoint lock-reply-lost");
    }
    if (rc == TALLY_ERR_CONNECT) return release_after_lost_reply(conn, l, err);
    if (rc) return rc;
    if (r->type == REDIS_REPLY_ERROR) {
        rc = tally_reply_error(r, "taking the sync lock", err);
    } else {
        *taken = r->type == REDIS_REPLY_STATUS;
    }
    tally_reply_free(r);
    if (rc == TALLY_OK && !*taken) rc = check_holder(conn, l, err);
    return rc;
}

tally_code tally_lock_refresh(tally_pipe *p, const tally_lock *l, tally_error *err)
{
    const char *argv[3] = {l->key, l->token, l->ttl};
    size_t lens[3] = {l->key_len, 32, l->ttl_len};
    return tally_pipe_script(p, TALLY_SCRIPT_LOCK_REFRESH, 1, 3, argv, lens, err);
}

void tally_lock_release(tally_conn *conn, const tally_lock *l)
{
    const char *argv[2] = {l->key, l->token};
    size_t lens[2] = {l->key_len, 32};
    redisReply *r = NULL;
    tally_error ignored;
    if (tally_script_run(conn, TALLY_SCRIPT_DEL_IF_EQUAL, 1, 2, argv, lens, &r, &ignored) == TALLY_OK) {
        tally_reply_free(r);
    }
}
