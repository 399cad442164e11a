<?php

// Settings of tally/laravel: where counters live in Redis and SQL, and how failures surface.

declare(strict_types=1);

return [
    /*
     * The Redis connection, by name, from config/database.php ('redis' => [...]): host,
     * port, username, password, database and prefix are all taken from there. The name of
     * a cache store with the redis driver also works (its connection is used), so
     * rejoose/model-counter's COUNTER_STORE=redis keeps working.
     */
    'store' => env('COUNTER_STORE', 'default'),

    // Prepended to every counter key, after the Redis connection's own prefix.
    'prefix' => env('COUNTER_PREFIX', 'counter:'),

    /*
     * Appended to the prefix while the application runs its tests (APP_ENV=testing), with
     * ParaTest's TEST_TOKEN after it: tests count, sync and read counters of their own and
     * never touch the pending counters of the app on the same Redis. '' turns it off.
     */
    'testing_prefix' => env('COUNTER_TESTING_PREFIX', 'testing:'),

    // Counters per sync transaction (counter:sync --batch-size overrides it).
    'sync_batch_size' => (int) env('COUNTER_SYNC_BATCH_SIZE', 1000),

    // The counters table; the sync keeps its fence in "<table_name>_sync".
    'table_name' => env('COUNTER_TABLE', 'model_counters'),

    // The SQL connection (config/database.php) of the table; null: the default one.
    'connection' => env('COUNTER_DB_CONNECTION'),

    /*
     * How the sync and exact reads reach SQL. 'auto': natively (the extension's own
     * libmariadb/libsqlite3 sessions) for mysql/mariadb and file SQLite connections, and
     * through Laravel's connection (Tally\Laravel\Sync\ConnectionSink) for anything else
     * (pgsql, SQLite ':memory:'). 'php' forces the latter.
     */
    'sink' => env('COUNTER_SINK', 'auto'),

    /*
     * false (default): an increment or decrement that fails in Redis throws its
     * Tally\Exception (ConnectionException when Redis is unreachable or slow, OverflowException,
     * WrongTypeException, ...). true: that exception goes to Laravel's exception handler
     * (report()) and the call returns normally, so tracking can never break a page. Bad
     * arguments (Tally\InvalidArgumentException) always throw; so do reads, set/reset and the sync.
     * The tally.hits middleware fails open whatever this says (reported once a minute per process).
     */
    'fail_open' => (bool) env('COUNTER_FAIL_OPEN', false),

    /*
     * Buffered increments (the extension's tally.buffer): increments and decrements are
     * added up in process memory per counter and sent in one pipeline when the request
     * ends (after the response), after each queued job, when buffer_limit distinct counters
     * are buffered, or on Counter::flush(). Reads include what is still buffered. Deltas a
     * flush cannot apply are reported (report()), never retried. null: the tally.buffer ini
     * setting decides (off by default).
     */
    'buffer' => env('COUNTER_BUFFER'),
    'buffer_limit' => env('COUNTER_BUFFER_LIMIT'),

    // Seconds: connecting to Redis, and waiting for each reply.
    'connect_timeout' => (float) env('COUNTER_CONNECT_TIMEOUT', 1.0),
    'read_timeout' => (float) env('COUNTER_READ_TIMEOUT', 1.0),

    // Writes that survive a failover (README "Writes that survive a failover"): every round
    // trip ends with WAIT for this many replicas (0 = off), which must confirm within
    // wait_timeout seconds (below read_timeout), else Tally\ReplicationException.
    'wait_replicas' => (int) env('COUNTER_WAIT_REPLICAS', 0),
    'wait_timeout' => (float) env('COUNTER_WAIT_TIMEOUT', 0.5),

    // Seconds a crashed counter:sync can keep other runs out.
    'lock_ttl' => (float) env('COUNTER_LOCK_TTL', 60.0),

    /*
     * Events (Tally\Laravel\Events\*), off by default: CounterIncremented and
     * CounterDecremented after each write that was applied (buffered: when the buffer took it),
     * CounterSet / CounterReset after set() / reset(), CounterSynced after each sync run with
     * its report. None for a write refused or one fail_open swallowed.
     */
    'events' => (bool) env('COUNTER_EVENTS', false),

    /*
     * A class implementing Tally\Laravel\Contracts\SyncInstrumenter (resolved from the
     * container), told of each sync run's start, batches (rows, seconds), errors and end.
     * A binding of the contract in the container wins. null: none (nothing is measured).
     */
    'sync_instrumenter' => null,

    // ---- Counters over time (README "Counters over time") -----------------------------

    /*
     * The time zone of periods: which day, ISO week (Monday first), month, quarter and year
     * "now" is in when an increment or a read names no date. null: app.timezone. An unknown
     * zone is a Tally\InvalidArgumentException at the first use of a period.
     */
    'timezone' => env('COUNTER_TIMEZONE'),

    /*
     * Periods declared for every owner and for global counters: counter key => intervals
     * ('day', 'week', 'month', 'quarter', 'year' or Tally\Laravel\Enums\Interval cases). An
     * increment of such a key without an interval argument adds to its lifetime counter and
     * to the current period of each, in one atomic call. A model's counterDefinitions()
     * (Contracts\DefinesCounters) wins for the keys it defines. E.g. 'downloads' => ['day', 'month'].
     */
    'periods' => [],

    // Keys that are gauges (set with Counter::snapshot(), never added to) for every owner and
    // for global counters, besides those a model defines ->gauge().
    'gauges' => [],

    /*
     * counter:prune: days each interval's period counters are kept (null: forever). A period
     * row goes once its period's last day lies before the day that many days ago (today in
     * counter.timezone): with 'day' => 90, the day 90 days ago and every later one stay; the
     * period holding that day is kept whole. Lifetime counters are never pruned.
     */
    'retention' => [
        'day' => 90,
        'week' => 365,
        'month' => null,
        'quarter' => null,
        'year' => null,
    ],

    // ---- Patterns (README "Patterns: progress, rate limits, path hits, cleanup") ----------

    // Seconds a batch's progress counters (Ephemeral::progress()) live after their first increment.
    'progress_ttl' => (int) env('COUNTER_PROGRESS_TTL', 7200),

    // Minutes of per-minute rate buckets kept (Ephemeral::hit()): the longest Ephemeral::rate().
    'rate_minutes' => (int) env('COUNTER_RATE_MINUTES', 60),

    /*
     * The tally.hits middleware: route names ($request->routeIs()) or paths
     * ($request->is()) never counted.
     */
    'path_hits' => [
        'exclude' => ['telescope*', 'horizon*', '_debugbar*', 'livewire*', 'up'],
    ],

    /*
     * counter:cleanup: ephemeral key pattern (SCAN glob, after the prefix) => seconds given
     * to matching keys left without an expiry. Owner counters are never touched.
     */
    'cleanup' => [
        'progress:*' => (int) env('COUNTER_PROGRESS_TTL', 7200),
        'rate:*' => ((int) env('COUNTER_RATE_MINUTES', 60) + 1) * 60,
    ],
];
