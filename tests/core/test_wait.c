/* Plain-C tests of WAIT after writes (redis/tally_wait): the INFO replication parser always;
 * with TALLY_TEST_REDIS_PORT and TALLY_TEST_REDIS_SERVER set (scripts/test sets both), also
 * tally_conn_set_wait(TALLY_WAIT_CONNECTED) against a master of the test's own and a
 * replica it starts and stops by PID: 0 replicas answers at once, a replica is learned and
 * waited for, a stopped one (still connected) fails with TALLY_ERR_REPLICAS, a killed one
 * (gone) does not stop anything. Prints "N passed, N failed". */
#include "redis/tally_conn.h"
#include "redis/tally_reply.h"
#include "redis/tally_wait.h"
#include "util/tally_proc.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;

#define CHECK(cond, ...) do { \
    if (cond) { passed++; } else { failed++; printf("not ok: "); printf(__VA_ARGS__); printf("\n"); } \
} while (0)

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int free_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        if (fd >= 0) close(fd);
        return -1;
    }
    port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* redis-server in the foreground as a child; its PID. */
static pid_t start_redis(const char *bin, int port, int master_port, const char *dir)
{
    char p[16], m[16];
    pid_t pid;
    snprintf(p, sizeof(p), "%d", port);
    snprintf(m, sizeof(m), "%d", master_port);
    pid = fork();
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) { dup2(devnull, 1); dup2(devnull, 2); }
        if (master_port > 0) {
            execl(bin, bin, "--bind", "127.0.0.1", "--port", p, "--save", "", "--appendonly", "no", "--dir", dir,
                  "--replicaof", "127.0.0.1", m, (char *)NULL);
        } else {
            execl(bin, bin, "--bind", "127.0.0.1", "--port", p, "--save", "", "--appendonly", "no", "--dir", dir,
                  "--repl-diskless-sync-delay", "0", (char *)NULL);
        }
        _exit(127);
    }
    return pid;
}

static void stop(pid_t pid, int sig)
{
    if (pid <= 0) return;
    kill(pid, sig);
    waitpid(pid, NULL, 0);
}

static tally_code incr(tally_conn *c, tally_error *err)
{
    const char *argv[2] = {"INCR", "tally:wait:test"};
    size_t lens[2] = {4, 15};
    redisReply *r = NULL;
    tally_code rc = tally_conn_command(c, 2, argv, lens, &r, err);
    if (rc == TALLY_OK) tally_reply_free(r);
    return rc;
}

static int replicas_now(tally_conn *c)
{
    int n = -1;
    tally_error err;
    tally_conn_set_wait(c, 0, 0);
    if (tally_conn_info_replicas(c, &n, &err) != TALLY_OK) n = -1;
    return n;
}

static void with_redis(const char *bin)
{
    char dir[] = "/tmp/tally-core-wait-XXXXXX";
    int mport = free_port(), rport = free_port();
    pid_t master, replica = -1;
    tally_conn *c = NULL;
    tally_conn_opts o;
    tally_error err;
    tally_code rc;
    int i;

    if (!mkdtemp(dir) || mport < 0 || rport < 0) {
        CHECK(0, "temporary directory and ports");
        return;
    }
    master = start_redis(bin, mport, 0, dir);
    memset(&o, 0, sizeof(o));
    o.host = "127.0.0.1";
    o.port = mport;
    o.connect_timeout = 1.0;
    o.read_timeout = 2.0;
    o.lazy = 1;
    for (i = 0; i < 200; i++) {
        if (!c && tally_conn_open(NULL, &o, &c, &err) != TALLY_OK) c = NULL;
        if (c && tally_conn_connect(c, &err) == TALLY_OK) break;
        sleep_ms(10);
    }
    CHECK(c && i < 200, "master up: %s", err.msg);
    if (!c) goto out;

    /* No replica: success without waiting. */
    tally_conn_set_wait(c, TALLY_WAIT_CONNECTED, 0.5);
    CHECK(incr(c, &err) == TALLY_OK, "0 replicas: %s", err.msg);

    /* A replica joins: WAIT 0 notices it, the next round waits for it. */
    replica = start_redis(bin, rport, mport, dir);
    for (i = 0; i < 500 && replicas_now(c) < 1; i++) sleep_ms(10);
    CHECK(replicas_now(c) == 1, "replica connected");
    sleep_ms(1200);   /* its first REPLCONF ACK */
    tally_conn_set_wait(c, TALLY_WAIT_CONNECTED, 0.5);
    CHECK(incr(c, &err) == TALLY_OK, "learning: %s", err.msg);
    CHECK(incr(c, &err) == TALLY_OK, "confirmed by the replica: %s", err.msg);

    /* Stopped, still connected: not confirmed. */
    kill(replica, SIGSTOP);
    rc = incr(c, &err);
    CHECK(rc == TALLY_ERR_REPLICAS && strstr(err.msg, "only 0 of its 1 connected replicas"), "stopped replica: %s %s",
          tally_error_name(rc), err.msg);
    kill(replica, SIGCONT);

    /* Gone (the master saw its connection close): nothing waits for it. */
    stop(replica, SIGKILL);
    replica = -1;
    for (i = 0; i < 500 && replicas_now(c) != 0; i++) sleep_ms(10);
    tally_conn_set_wait(c, TALLY_WAIT_CONNECTED, 0.5);
    CHECK(incr(c, &err) == TALLY_OK, "replica gone: %s", err.msg);
    CHECK(incr(c, &err) == TALLY_OK, "replica gone, again: %s", err.msg);

    /* A fixed count with none there fails; 0 goes back to the options (off). */
    tally_conn_set_wait(c, 1, 0.2);
    rc = incr(c, &err);
    CHECK(rc == TALLY_ERR_REPLICAS && strstr(err.msg, "only 0 of 1 replicas confirmed it within 0.2 s"), "fixed 1: %s",
          err.msg);
    tally_conn_set_wait(c, 0, 0);
    CHECK(incr(c, &err) == TALLY_OK, "off again: %s", err.msg);
out:
    tally_conn_release(c);
    stop(replica, SIGKILL);
    stop(master, SIGTERM);
    {
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0) printf("could not remove %s\n", dir);
    }
}

int main(void)
{
    const char *bin = getenv("TALLY_TEST_REDIS_SERVER");
    static const char info[] = "# Replication\r\nrole:master\r\nconnected_slaves:2\r\nslave0:ip=127.0.0.1\r\n";

    tally_proc_init();
    CHECK(tally_wait_parse_replicas(info, sizeof(info) - 1) == 2, "parse 2");
    CHECK(tally_wait_parse_replicas("connected_slaves:0\r\n", 20) == 0, "parse at start");
    CHECK(tally_wait_parse_replicas("role:master\r\n", 13) == -1, "absent");
    CHECK(tally_wait_parse_replicas("xconnected_slaves:3\r\n", 21) == -1, "only a whole field");
    CHECK(tally_wait_parse_replicas("connected_slaves:x\r\n", 20) == -1, "not a number");
    CHECK(tally_wait_parse_replicas("connected_slaves:12", 19) == 12, "at the end");

    if (bin && *bin && getenv("TALLY_TEST_REDIS_PORT")) with_redis(bin);
    else printf("skipped the tests against Redis: TALLY_TEST_REDIS_SERVER is not set\n");
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
