<?php

/**
 * The PHP-visible API of the tally extension. This file is the single source of truth:
 * stubs/tally_arginfo.h is generated from it by gen_stub.php and never edited by hand.
 *
 * @generate-class-entries
 */

namespace Tally {

    /**
     * Counts in Redis: owner counters (one Redis hash per owner, synced to SQL later) and
     * ephemeral counters (plain keys with a TTL set on their first increment; their names
     * have no '{' or '}', which mark owner counters and Tally's own keys).
     *
     * Options (each defaults to the tally.* ini setting of the same name):
     *   host (string), port (int), socket (string: unix socket path, wins over host/port),
     *   username (string|null), password (string|null; when not given, the value of the
     *   environment variable tally.password_env names, if set), database (int),
     *   connect_timeout (float, seconds), read_timeout (float, seconds),
     *   prefix (string: 1-255 bytes, no '{' or '}'; each prefix owns only its own keys, also
     *   when one prefix starts another), persistent (bool), lazy (bool, default false: connect at the
     *   first command instead of here, so that a bad argument is reported as such even
     *   while Redis is down), max_key_length (int),
     *   buffer (bool: coalesce owner-counter increments in process memory and send them
     *   in one pipeline at request end, when buffer_limit counters are buffered, or on
     *   flush()), buffer_limit (int, 1-1000000 counters),
     *   tls (bool: TLS to Redis; needs a build with hiredis_ssl, see php --ri tally),
     *   tls_ca_file, tls_ca_path (string|null: the CAs trusted; default the system store),
     *   tls_cert_file + tls_key_file (string|null: a client certificate and its key),
     *   tls_server_name (string|null: SNI and the name verified; default the host),
     *   tls_verify (bool, default true: verify the server's certificate and name),
     *   wait_replicas (int >= 0, default 0 = off: every round trip ends with WAIT, so a
     *   call that returns was confirmed by that many replicas; on a cluster, by that many
     *   replicas of each master written to; fewer throw Tally\ReplicationException),
     *   wait_timeout (float, seconds, default 1.0, below read_timeout: how long WAIT waits).
     *
     * @strict-properties
     * @not-serializable
     */
    final class Counter
    {
        /**
         * Connects (or takes a pooled persistent connection) using $options over the
         * tally.* ini defaults. Throws InvalidArgumentException for an unknown option or a
         * value of the wrong type or range, ConnectionException when Redis cannot be reached
         * within connect_timeout, AuthenticationException when it rejects the credentials.
         */
        public function __construct(#[\SensitiveParameter] array $options = []) {}

        /**
         * Adds $amount (may be negative) to the owner's pending counter $key in one atomic
         * HINCRBY and returns the new pending value.
         * Throws OverflowException (value left unchanged) when the result would not fit in
         * a signed 64-bit integer.
         * Buffered (option 'buffer'): adds $amount to the counter's delta in this process's
         * buffer, nothing is sent, and returns that buffered delta.
         *
         * Periods: $periods [] is the lifetime counter alone. Otherwise it lists the counters
         * to add to, all in ONE atomic script (all or nothing on overflow): '' the lifetime
         * counter, 'day', 'week' (ISO, from Monday), 'month', 'quarter', 'year' the period
         * containing $at. $at: null is today in PHP's default time zone (the app server's
         * clock at the call); a DateTimeInterface is its own date in its own time zone; or
         * 'Y-m-d' (backfills, imports). Returns the new pending value of the first listed.
         * An owner type and id both '' is a global counter (no owner).
         *
         * @param array $periods list of period names
         */
        public function increment(string $ownerType, int|string $ownerId, string $key, int $amount = 1, array $periods = [], \DateTimeInterface|string|null $at = null): int {}

        /** Subtracts $amount from the owner's pending counter $key; returns the new pending value. */
        public function decrement(string $ownerType, int|string $ownerId, string $key, int $amount = 1, array $periods = [], \DateTimeInterface|string|null $at = null): int {}

        /**
         * Applies several deltas to one owner's counters in one round trip, all or nothing:
         * if any key would overflow, none is changed.
         *
         * $periods and $at as for increment(): one list for every key, or a map of key =>
         * its own list (a key not in the map, or mapped to [], feeds its lifetime counter
         * alone), still one script and all or nothing across every key and period.
         *
         * @param array $amounts key (string) => delta (int)
         * @param array $periods list of period names, or key => list of period names
         * @return array<string,int> key => new pending value (of its first listed period)
         */
        public function incrementMany(string $ownerType, int|string $ownerId, array $amounts, array $periods = [], \DateTimeInterface|string|null $at = null): array {}

        /**
         * The pending (not yet synced) delta of one counter; 0 when there is none. $period
         * null or '' is the lifetime counter, else the period containing $at (as in increment()).
         */
        public function pending(string $ownerType, int|string $ownerId, string $key, ?string $period = null, \DateTimeInterface|string|null $at = null): int {}

        /**
         * Pending deltas of several counters of one owner in one round trip.
         *
         * @param array $keys list of key names
         * @return array<string,int> key => pending delta (0 when none), in the order asked
         */
        public function pendingMany(string $ownerType, int|string $ownerId, array $keys, ?string $period = null, \DateTimeInterface|string|null $at = null): array {}

        /**
         * Every pending delta of one owner.
         *
         * @return array<string,int> key => pending delta
         */
        public function pendingAll(string $ownerType, int|string $ownerId): array {}

        /**
         * Drops pending deltas (never SQL rows): every counter of the owner when $key is null;
         * else $key's lifetime counter and all its periods ($period null), its lifetime counter
         * only ($period ''), or all its pending periods of one kind ('day', ...).
         * Returns how many counters were dropped.
         */
        public function forget(string $ownerType, int|string $ownerId, ?string $key = null, ?string $period = null): int {}

        /**
         * Adds $amount to the ephemeral counter $key and returns the new value. When $ttl > 0
         * and the key has no expiry yet (its first increment), the expiry is set to $ttl
         * seconds in the same atomic step; later increments never extend it.
         */
        public function incrementKey(string $key, int $amount = 1, int $ttl = 0): int {}

        /** Subtracts $amount from the ephemeral counter $key; $ttl as for incrementKey(). */
        public function decrementKey(string $key, int $amount = 1, int $ttl = 0): int {}

        /** The value of the ephemeral counter $key; 0 when it does not exist. */
        public function getKey(string $key): int {}

        /**
         * Values of several ephemeral counters in one round trip.
         *
         * @param array $keys list of key names
         * @return array<string,int> key => value (0 when missing), in the order asked
         */
        public function getKeys(array $keys): array {}

        /** Deletes ephemeral counters; returns how many existed. @param array $keys list of key names */
        public function deleteKeys(array $keys): int {}

        /** Seconds until the ephemeral counter $key expires: -1 without expiry, -2 when missing. */
        public function ttl(string $key): int {}

        /**
         * Gives every ephemeral key matching $pattern (a SCAN glob over key names, after the
         * prefix) that has no expiry the TTL $ttl seconds: SCAN in batches, and each expiry
         * set in one atomic step only if the key still has none. Owner counters and Tally's
         * own keys are never touched. Options: dry_run (bool: only find them), batch_size
         * (int, SCAN COUNT, default 1000).
         * Returns scanned, without_ttl, ttl_set (0 in a dry run), batches (int) and keys (the
         * first 1000 names found without an expiry).
         */
        public function ensureTtl(string $pattern, int $ttl, array $options = []): array {}

        /**
         * Takes `cost` units of the rate limit $name ($limit units per $window seconds) if they
         * fit, in one atomic script timed by the Redis server's clock. A denied attempt takes
         * nothing. Options: sliding (bool, default false), cost (int 0..$limit, default 1;
         * 0 only looks: allowed then says whether one unit would pass).
         * Fixed window: starts with its first admitted unit, ends $window seconds later.
         * Sliding window: exact, one sorted-set entry per admitted unit ($limit at most
         * 100000): at no instant are more than $limit units younger than $window seconds.
         * Returns allowed (bool), limit, remaining, reset (seconds until capacity frees: the
         * window's end for fixed, the oldest unit's expiry for sliding, 0 when unused) and
         * retry_after (seconds until this cost would pass; 0 when allowed).
         */
        public function rateLimit(string $name, int $limit, int $window, array $options = []): array {}

        /** Forgets the state of the rate limit $name (fixed and sliding); whether it had any. */
        public function resetRateLimit(string $name): bool {}

        /** The key prefix in use (from the options or tally.prefix). */
        public function getPrefix(): string {}

        /**
         * Sends this process's buffered increments for this object's connection and prefix
         * now, in one pipeline, and returns how many counters were incremented (0 when not
         * buffering or nothing is buffered). Deltas that could not be applied are dropped,
         * never retried (a retry could count twice), and named with their amounts in the
         * exception thrown (the first 10, then how many more and their total delta):
         * ConnectionException, WrongTypeException, OverflowException, ...
         */
        public function flush(): int {}

        /**
         * Moves pending deltas to SQL, exactly once (see README, "Sync"). Options:
         *   batch_size (int, counters per transaction, default 1000), dry_run (bool),
         *   pattern (string: owner type, '*' matches anything), time_budget (float seconds),
         *   lock_ttl (float seconds, default 60), progress (callable(int $done): mixed,
         *   called after each batch; returning false stops the run cleanly), on_batch
         *   (callable(array $rows): mixed, called after each committed batch with its rows
         *   ['owner_type', 'owner_id', 'key', 'delta']; in a dry run once per owner with
         *   what would be written; returning false stops the run like progress).
         * A stop (false, an exception from a callback, the time budget) finishes the
         * batch already claimed, so at most one more batch is written.
         * A counter the database rejects for its data (a key wider than the key column, a
         * count beyond BIGINT, a CHECK or trigger) is set aside: kept in Redis (still
         * counted by get()), named in errors, and synced again only after retryFailed();
         * the rest of its batch commits. A key under the prefix that is not Tally's (another
         * type, a field that is not an integer) is left untouched and named in foreign.
         * Returns the report: synced, set_aside, owners, batches, skipped, recovered (int),
         * seconds (float), locked (another run holds the lock: nothing done), incomplete
         * (stopped by the budget or the callback) (bool), errors (list of messages; empty on
         * success), foreign (list of messages: keys left alone; not errors).
         */
        public function sync(Database|Sink $database, array $options = []): array {}

        /**
         * The counters sync() set aside (owner types matching $pattern, '*' matches
         * anything; null = all), as ['owner_type', 'owner_id', 'key', 'delta'] rows.
         */
        public function failed(?string $pattern = null): array {}

        /**
         * Puts the counters sync() set aside back into pending (atomically, per owner), so
         * that the next sync() writes them; returns the rows moved, as failed() lists them.
         * Fix the cause first, or the next sync() sets them aside again.
         */
        public function retryFailed(?string $pattern = null): array {}

        /**
         * The exact value: SQL + pending + in flight, correct at every instant of a sync.
         * $period and $at as for pending().
         */
        public function get(Database|Sink $database, string $ownerType, int|string $ownerId, string $key, ?string $period = null, \DateTimeInterface|string|null $at = null): int {}

        /**
         * Exact values of several counters of one owner.
         *
         * @param array $keys list of key names
         * @return array<string,int> key => value (0 when none), in the order asked
         */
        public function getMany(Database|Sink $database, string $ownerType, int|string $ownerId, array $keys, ?string $period = null, \DateTimeInterface|string|null $at = null): array {}

        /**
         * Exact values of every lifetime counter of an owner: stored, pending or in flight.
         *
         * @return array<string,int> key => value
         */
        public function getAll(Database|Sink $database, string $ownerType, int|string $ownerId): array {}

        /**
         * Exact values of $periods (1 to 1000) consecutive periods of $key, the last one
         * containing $at (null: today), oldest first, 0 where nothing was counted: one Redis
         * round trip and one SQL query whatever $periods is.
         *
         * @return array<string,int> period start 'Y-m-d' => value
         */
        public function history(Database|Sink $database, string $ownerType, int|string $ownerId, string $key, string $period, int $periods = 12, \DateTimeInterface|string|null $at = null): array {}

        /**
         * The exact sum of $key's periods from the one containing $from to the one containing
         * $to (null: unbounded on that side).
         */
        public function sum(Database|Sink $database, string $ownerType, int|string $ownerId, string $key, string $period, \DateTimeInterface|string|null $from = null, \DateTimeInterface|string|null $to = null): int {}

        /**
         * Exact values of $keys for each of $ownerIds (owners of type $ownerType), as get()
         * reads them, for a whole listing page at once: one Redis round trip (per cluster
         * master) and one SQL query per 500 ids and keys. At most 10000 owners and keys.
         * A Tally\Sink that is no Tally\BulkReadSink is read once per owner.
         *
         * @param array $ownerIds list of owner ids (int|string)
         * @param array $keys list of key names
         * @return array<int|string,array<string,int>> owner id => [key => value], in the order asked
         */
        public function getForMany(Database|Sink $database, string $ownerType, array $ownerIds, array $keys, ?string $period = null, \DateTimeInterface|string|null $at = null): array {}

        /**
         * The $limit (1 to 10000) owners of type $ownerType with the highest exact value of
         * $key (with $period: of the period containing $at), highest first, ties by owner id
         * (bytes). Exact: every owner with a pending or in-flight delta is found with a SCAN of
         * Redis (its cost grows with the keyspace) and read exactly; SQL adds its best rows.
         * Increments still in this object's buffer count only for owners pending in Redis.
         *
         * @return array<int|string,int> owner id => value
         */
        public function top(Database|Sink $database, string $ownerType, string $key, int $limit = 10, ?string $period = null, \DateTimeInterface|string|null $at = null): array {}

        /**
         * The $limit (1 to 10000) keys of one owner with the highest exact values (with
         * $period: of the period containing $at), highest first, ties by key (bytes): its
         * pending, in-flight and buffered keys read exactly, SQL's best rows for the rest.
         *
         * @return array<string,int> key => value
         */
        public function topKeys(Database|Sink $database, string $ownerType, int|string $ownerId, int $limit = 10, ?string $period = null, \DateTimeInterface|string|null $at = null): array {}

        /**
         * Adds $members (strings or ints: visitor ids, IP hashes, user ids) to $key's unique
         * count of each of $periods ('day', 'week', 'month', 'quarter', 'year') containing $at
         * (null: today): one HyperLogLog per period, PFADD + EXPIRE in one round trip. Each
         * expires $grace seconds (0 to a year) after its period's end. Returns whether any
         * estimate changed. Estimates, not exact counts (Redis: 0.81% standard error).
         */
        public function addUnique(string $ownerType, int|string $ownerId, string $key, string|int|array $members, array $periods = ['day'], \DateTimeInterface|string|null $at = null, int $grace = 172800): bool {}

        /** The estimate of $key's unique count in the $period containing $at (null: today); 0 when its HyperLogLog is gone. */
        public function uniques(string $ownerType, int|string $ownerId, string $key, string $period = 'day', \DateTimeInterface|string|null $at = null): int {}

        /**
         * The estimate of the union of $key's unique counts of the $period periods from the
         * one containing $from to the one containing $to (at most 1000): ONE PFCOUNT over
         * their live HyperLogLogs, and the starts of the periods whose HyperLogLog is gone
         * (their stored estimates are the caller's to add).
         *
         * @return array{count:int,gone:list<string>}
         */
        public function uniquesBetween(string $ownerType, int|string $ownerId, string $key, string $period, \DateTimeInterface|string $from, \DateTimeInterface|string $to): array {}

        /**
         * The estimates of every unique count whose period ended by $today (null: today), of
         * owner types matching $pattern ('*' = any bytes; null: all), to be stored in SQL (set,
         * not added: storing one twice is harmless). One SCAN of the keyspace.
         *
         * @return list<array{owner_type:string,owner_id:string,key:string,period:string,period_start:string,estimate:int}>
         */
        public function uniqueEstimates(?string $pattern = null, \DateTimeInterface|string|null $today = null): array {}
    }

    /**
     * An SQL database the sync writes to and exact reads read from: MariaDB/MySQL through
     * libmariadb, or an SQLite file through libsqlite3.
     *
     * Options: driver ('mysql', 'mariadb' or 'sqlite'); for MySQL host (default
     * '127.0.0.1'), port (3306), socket, username, password, database; for SQLite path;
     * table ('model_counters'); connect_timeout (5.0), read_timeout (30.0), busy_timeout
     * (SQLite, 5.0) in seconds. TLS to MySQL: tls (bool, required when on: never falls
     * back to plain), tls_ca_file, tls_cert_file + tls_key_file (string|null), tls_verify
     * (bool, default true: the server's certificate and host name). persistent (bool,
     * default false): when the object is freed its session stays open in this process, and
     * the next Tally\Database made with the same options takes it instead of connecting
     * (PHP-FPM: one session per worker, not one per request; at most 4 idle per options).
     *
     * @strict-properties
     * @not-serializable
     */
    final class Database
    {
        /** Connects (MySQL) or opens the file (SQLite); bad options throw InvalidArgumentException. */
        public function __construct(#[\SensitiveParameter] array $options) {}

        /**
         * Creates the counters table and its _sync table if they do not exist, and upgrades
         * a counters table of an earlier release (no period columns) in place, keeping every
         * row and its sync_seq (on SQLite by rebuilding it in one transaction). Running it
         * again changes nothing.
         */
        public function createTables(): void {}

        /** 'mysql' or 'sqlite'. */
        public function getDriver(): string {}

        public function getTable(): string {}

        /**
         * The CREATE TABLE statements for a driver ('mysql', 'mariadb', 'sqlite', 'pgsql'):
         * the one definition of the schema, also used by the Laravel migration.
         *
         * @return list<string>
         */
        public static function schema(string $driver, string $table = "model_counters"): array {}

        /**
         * The statements that upgrade a counters table of an earlier release (no period
         * columns, unique key over owner_type, owner_id, key) to schema()'s shape, keeping
         * every row: to run in ONE transaction, and only on a table of that shape (the
         * Laravel migration checks for the period column first). On SQLite they rebuild the
         * table under its own name (SQLite cannot drop a table constraint).
         *
         * @return list<string>
         */
        public static function upgradeSchema(string $driver, string $table = "model_counters"): array {}
    }

    /**
     * A sink written in PHP, for databases the extension does not speak natively (PostgreSQL,
     * SQLite ':memory:' under Laravel's RefreshDatabase, ...). Tables as in
     * Database::schema(). The engine keeps the same guarantees as long as writeBatch() is
     * one transaction that checks the fence first. Anything thrown here stops the sync or fails
     * the read: it reaches the caller as a Tally\DatabaseException naming the method, with
     * what was thrown as getPrevious(). A Tally\RejectedException from writeBatch() (the
     * database refused a row for its data) fails the batch whole too, unless the sink is a
     * NarrowingSink: then the rejected rows are found and set aside, and the rest commits.
     */
    interface Sink
    {
        /**
         * Starts a run for $name (the Redis prefix): in <table>_sync, set $name's fence (insert
         * its row if missing) to one above the LARGEST fence of the table, every prefix's, and
         * return it; in one transaction that keeps other runs from taking a fence meanwhile.
         * (So a claim's seq names one claim in the whole table, whichever prefix made it.)
         */
        public function beginRun(string $name): int;

        /**
         * In ONE transaction: read the fence of $name (locking the row where the database
         * can), throw if it is not $fence (a newer run took over), then for every row
         * [owner_type, owner_id, key, delta, seq, 'period' => ..., 'period_start' => ...]
         * add delta to the counter (owner_type, owner_id, key, period, period_start),
         * inserting it at delta when missing, and set sync_seq = seq. 'period' is '' for a
         * lifetime counter (period_start '1970-01-01'), else 'day', 'week', 'month',
         * 'quarter' or 'year' with the period's first day as 'Y-m-d'.
         *
         * @param array $rows list of array{0:string, 1:string, 2:string, 3:int, 4:int, period:string, period_start:string}
         */
        public function writeBatch(string $name, int $fence, array $rows): void;

        /**
         * Stored counters of one owner of period $period ('' = lifetime) whose period_start
         * lies from $from to $to ('Y-m-d', both '1970-01-01' for lifetime), for $keys or
         * (null) all keys: a list of [key, period_start 'Y-m-d', count, sync_seq].
         *
         * @param array|null $keys list of key names
         */
        public function read(string $ownerType, string $ownerId, ?array $keys, string $period = '', string $from = '1970-01-01', string $to = '1970-01-01'): array;

        /**
         * Whether any counter row of the owner (any key, any period) has sync_seq = $seq:
         * how a sync tells whether a claim a killed run left behind was committed.
         */
        public function committed(string $ownerType, string $ownerId, int $seq): bool;
    }

    /**
     * A Sink that can tell which rows the database rejects for their data, so that sync()
     * sets those counters aside (see Counter::sync()) instead of failing their batch on every
     * run. writeBatch() and tryBatch() throw Tally\RejectedException for a data rejection
     * only (out of range, too long, a CHECK, a trigger): anything else (a lost connection, a
     * lock wait, the fence taken over) fails the batch as for any Sink.
     */
    interface NarrowingSink extends Sink
    {
        /**
         * The same as writeBatch() (fence check included), but rolled back: only whether the
         * database would accept these rows. Called on parts of a batch writeBatch() rejected,
         * down to single rows; the message of a single row's RejectedException is the reason
         * sync() reports for setting it aside.
         *
         * @param array $rows as for writeBatch()
         */
        public function tryBatch(string $name, int $fence, array $rows): void;
    }

    /**
     * A Sink that reads many owners in one query and ranks counters, for
     * Counter::getForMany() (without it: read() once per owner), Counter::top() and
     * Counter::topKeys() (without it: a Tally\DatabaseException).
     */
    interface BulkReadSink extends Sink
    {
        /**
         * Stored counters of the owners $ownerIds of type $ownerType, as read() selects them
         * for one owner: a list of [owner_id, key, period_start 'Y-m-d', count, sync_seq].
         *
         * @param array $ownerIds list of owner ids (strings)
         * @param array|null $keys list of key names, null: all
         */
        public function readMany(string $ownerType, array $ownerIds, ?array $keys, string $period = '', string $from = '1970-01-01', string $to = '1970-01-01'): array;

        /**
         * The $limit stored counters of period $period ('' = lifetime) starting $start with
         * the highest counts, count descending then name ascending: with $ownerId null, the
         * owners of $ownerType by counter $key ([owner_id, count]); with $key null, the keys
         * of owner ($ownerType, $ownerId) ([key, count]).
         */
        public function top(string $ownerType, ?string $ownerId, ?string $key, string $period, string $start, int $limit): array;
    }

    /** Base of every exception the extension throws. */
    class Exception extends \RuntimeException {}

    /** A bad argument or option: names the parameter and what was wrong. Nothing was sent. */
    class InvalidArgumentException extends Exception {}

    /** Redis could not be reached, or the connection failed or timed out mid-command. */
    class ConnectionException extends Exception {}

    /** Redis rejected the credentials (the password never appears in the message). */
    class AuthenticationException extends ConnectionException {}

    /**
     * With wait_replicas: the write reached the Redis master but fewer replicas than asked
     * confirmed it within wait_timeout, so a failover now may lose it. It was NOT undone:
     * retrying it blindly would count it twice.
     */
    class ReplicationException extends ConnectionException {}

    /** Redis answered with an error, or with a reply Tally did not expect. */
    class ServerException extends Exception {}

    /** The key holds a value of another type (WRONGTYPE, or a non-integer value). */
    class WrongTypeException extends ServerException {}

    /** The result would not fit in a signed 64-bit integer; the value was left unchanged. */
    class OverflowException extends ServerException {}

    /** The SQL database failed or rejected a statement. */
    class DatabaseException extends Exception {}

    /**
     * The SQL database refused a row for its data (out of range, too long, a CHECK, a
     * trigger), as opposed to failing: what a NarrowingSink throws so that sync() sets the
     * row aside.
     */
    class RejectedException extends DatabaseException {}
}
