# The core's sources (relative to src/core) that a plain-C program links to talk to Redis
# through tally_conn, cluster included: one list for tests/core/run and tests/fuzz/run.
# Sourced, not executed.
# shellcheck shell=bash
# shellcheck disable=SC2034 # read by the scripts that source it
tally_conn_sources=(redis/tally_conn.c redis/tally_conn_io.c redis/tally_tls.c redis/tally_resp.c redis/tally_cluster.c
                    redis/tally_cluster_route.c redis/tally_slot.c redis/tally_wait.c redis/tally_reply.c
                    util/tally_proc.c util/tally_error.c)
