<?php

// The one place that reads config('counter') and the Redis/SQL connection config it names.

declare(strict_types=1);

namespace Tally\Laravel;

use Illuminate\Contracts\Config\Repository;
use Tally\InvalidArgumentException;

final class Settings
{
    /**
     * @param array<string,mixed> $redis options for Tally\Counter
     */
    public function __construct(
        public readonly array $redis,
        public readonly string $table,
        public readonly ?string $connection,
        public readonly string $sink,
        public readonly int $batchSize,
        public readonly bool $failOpen,
        public readonly float $lockTtl,
        /** The table's database stores text (PostgreSQL): keys and owners must be UTF-8 without NUL. */
        public readonly bool $textOnly = false,
        public readonly PatternSettings $patterns = new PatternSettings(),
        /**
         * The prefix carries counter.testing_prefix: the application runs its tests, so its
         * counters are not the developer's real ones (see isolation()).
         */
        public readonly bool $isolated = false,
        public readonly PeriodSettings $periods = new PeriodSettings(),
        public readonly Retention $retention = new Retention(),
        public readonly EventSettings $events = new EventSettings(),
    ) {
    }

    /**
     * @param bool $runningUnitTests the application runs its tests (APP_ENV=testing)
     * @param string|int|false|null $testToken ParaTest's TEST_TOKEN: each parallel process
     *        gets counters of its own
     */
    public static function fromConfig(Repository $config, bool $runningUnitTests = false, string|int|false|null $testToken = null): self
    {
        $counter = (array) $config->get('counter', []);
        $sink = (string) ($counter['sink'] ?? 'auto');
        if (!in_array($sink, ['auto', 'php'], true)) {
            throw new InvalidArgumentException("counter.sink must be 'auto' or 'php', got '$sink'");
        }
        $batchSize = filter_var($counter['sync_batch_size'] ?? 1000, FILTER_VALIDATE_INT);
        if ($batchSize === false || $batchSize < 1) {
            throw new InvalidArgumentException('counter.sync_batch_size must be a positive integer');
        }
        $table = (string) ($counter['table_name'] ?? 'model_counters');
        if ($table === '') {
            throw new InvalidArgumentException('counter.table_name must not be empty');
        }
        $connection = $counter['connection'] ?? null;
        $connection = $connection === null || $connection === '' ? null : (string) $connection;
        $driver = $config->get('database.connections.' . ($connection ?? $config->get('database.default')) . '.driver');

        $isolation = $runningUnitTests ? self::isolation($counter, $testToken) : '';
        $redis = self::redisOptions($config, (string) ($counter['store'] ?? 'default'), $counter);
        $redis['prefix'] .= $isolation;

        return new self(
            $redis,
            $table,
            $connection,
            $sink,
            $batchSize,
            (bool) ($counter['fail_open'] ?? false),
            (float) ($counter['lock_ttl'] ?? 60.0),
            $driver === 'pgsql',
            PatternSettings::fromArray($counter),
            $isolation !== '',
            PeriodSettings::fromArray($counter, $config->get('app.timezone')),
            Retention::fromArray($counter),
            EventSettings::fromArray($counter),
        );
    }


    /**
     * What the prefix gets while the application runs its tests: counter.testing_prefix
     * ('testing:' by default), and ParaTest's token after it. A test then never reads, syncs
     * or deletes the developer's pending counters on the same Redis, and a sync inside the
     * test's own transaction moves only what the test counted. '' / false turns it off.
     *
     * @param array<string,mixed> $counter
     */
    private static function isolation(array $counter, string|int|false|null $testToken): string
    {
        $testing = $counter['testing_prefix'] ?? 'testing:';
        if ($testing === false || $testing === null || $testing === '') {
            return '';
        }
        if (!is_string($testing)) {
            throw new InvalidArgumentException('counter.testing_prefix must be a string (or false to count on the real prefix in tests)');
        }
        if ($testToken !== null && $testToken !== false && $testToken !== '') {
            $testing .= $testToken . ':';
        }

        return $testing;
    }

    /**
     * Tally\Counter options from the Redis connection or cluster named by counter.store, so
     * Redis is configured in config/database.php only. Names resolve as Laravel's
     * RedisManager resolves them: a connection of database.redis first, then a cluster of
     * database.redis.clusters; then a cache store with the redis driver, by its connection.
     *
     * @param array<string,mixed> $counter
     * @return array<string,mixed>
     */
    private static function redisOptions(Repository $config, string $store, array $counter): array
    {
        $redis = (array) $config->get('database.redis', []);
        $name = $store;
        if (self::kind($redis, $name) === null) {
            // A cache store name, as the seed package's COUNTER_STORE=redis.
            $cache = $config->get("cache.stores.$store");
            if (is_array($cache) && ($cache['driver'] ?? null) === 'redis') {
                $name = (string) ($cache['connection'] ?? 'default');
            }
        }
        $conn = match (self::kind($redis, $name)) {
            'connection' => self::connection($redis, $name),
            'cluster' => self::cluster($redis, $name, $store),
            null => throw new InvalidArgumentException(
                "counter.store '$store' is neither a Redis connection in database.redis, a cluster in "
                . 'database.redis.clusters, nor a redis cache store'
            ),
        };

        return self::connectionOptions($conn, $store, $counter) + self::bufferOptions($counter);
    }

    /**
     * What $name is in database.redis: 'connection', 'cluster' or null (neither).
     *
     * @param array<string,mixed> $redis
     */
    private static function kind(array $redis, string $name): ?string
    {
        if (in_array($name, ['client', 'options', 'clusters'], true)) {
            return null;
        }
        if (is_array($redis[$name] ?? null)) {
            return 'connection';
        }

        return is_array($redis['clusters'][$name] ?? null) ? 'cluster' : null;
    }

    /**
     * One Redis connection of database.redis, as connectionOptions() takes it.
     *
     * @param array<string,mixed> $redis
     * @return array<string,mixed>
     */
    private static function connection(array $redis, string $name): array
    {
        $node = self::node($redis[$name]);
        $conn = ['what' => "the Redis connection '$name'", 'tls' => $node['tls']] + $node['conn'];
        if (isset($node['socket'])) {
            $conn['target'] = ['socket' => $node['socket']];
        } else {
            $conn['target'] = ['host' => $node['host'], 'port' => $node['port']];
        }
        $conn['prefix'] = (string) ($conn['prefix'] ?? $redis['options']['prefix'] ?? '');
        $conn['database'] = (int) ($conn['database'] ?? 0);

        return $conn;
    }

    /**
     * A cluster of database.redis.clusters, as connectionOptions() takes it: its nodes become
     * the seeds. Auth, TLS context and prefix come from a node entry (predis's place) or the
     * options Laravel merges for a cluster, clusters.<name>.options over clusters.options over
     * database.redis.options (phpredis's place), then predis's options.parameters. Every node
     * must agree on them, since the extension uses one set for all nodes, and database must be
     * 0: a cluster has no other.
     *
     * @param array<string,mixed> $redis
     * @return array<string,mixed>
     */
    private static function cluster(array $redis, string $name, string $store): array
    {
        $key = "database.redis.clusters.$name";
        $list = $redis['clusters'][$name];
        $levels = [
            "$key.options" => (array) ($list['options'] ?? []),
            'database.redis.clusters.options' => (array) ($redis['clusters']['options'] ?? []),
            'database.redis.options' => (array) ($redis['options'] ?? []),
        ];
        foreach ($levels as $level => $options) {
            $levels["$level.parameters"] = (array) ($options['parameters'] ?? []);
        }
        $seeds = [];
        $shared = null;
        foreach ($list as $i => $entry) {
            if ($i === 'options' || $i === 'prefix') {
                continue;
            }
            if (!is_array($entry) && !is_string($entry)) {
                throw new InvalidArgumentException("counter.store '$store': $key.$i must be a node (['host' => ..., 'port' => ...] or a url)");
            }
            $node = self::node($entry);
            if (isset($node['socket'])) {
                throw new InvalidArgumentException("counter.store '$store': $key.$i is a unix socket; a Redis Cluster node needs host and port");
            }
            $seeds[] = trim($node['host'], '[]') . ':' . $node['port'];
            $sources = ["$key.$i" => $node['conn']] + $levels;
            [$database, $from] = self::lookup($sources, 'database');
            if ($database !== null && filter_var($database, FILTER_VALIDATE_INT) !== 0) {
                throw new InvalidArgumentException(
                    "counter.store '$store': $from must be 0 (or left out): a Redis Cluster has only database 0"
                );
            }
            $conn = ['tls' => $node['tls']];
            foreach (['username', 'password', 'context', 'ssl'] as $field) {
                [$value] = self::lookup($sources, $field);
                if ($value !== null) {
                    $conn[$field] = $value;
                }
            }
            if (is_array($conn['context'] ?? null) && !isset($conn['context']['stream'])) {
                // RedisCluster takes the SSL options themselves as its context, Redis::connect() ['stream' => ...].
                $conn['context'] = ['stream' => $conn['context']];
            }
            if ($shared !== null && $conn !== $shared) {
                $fields = [];
                foreach (array_keys($conn + $shared) as $field) {
                    if (($conn[$field] ?? null) !== ($shared[$field] ?? null)) {
                        $fields[] = $field === 'tls' ? 'scheme (TLS or not)' : $field;
                    }
                }
                throw new InvalidArgumentException(
                    "counter.store '$store': the nodes of $key differ in " . implode(', ', $fields)
                    . ': the tally extension uses one setting for every node of a cluster'
                );
            }
            $shared = $conn;
        }
        if ($seeds === []) {
            throw new InvalidArgumentException("counter.store '$store': $key lists no nodes: give at least one ['host' => ..., 'port' => ...]");
        }

        return ['what' => "the Redis cluster '$name'", 'target' => ['cluster' => $seeds], 'database' => 0,
                'prefix' => (string) self::lookup([$key => $list] + $levels, 'prefix')[0]] + $shared;
    }

    /**
     * The first of $sources (config key => settings, highest precedence first) that sets
     * $field (null and '' are unset, as Laravel's clients take them): [value, "key.field"],
     * or [null, null].
     *
     * @param array<string,array<string,mixed>> $sources
     * @return array{mixed, ?string}
     */
    private static function lookup(array $sources, string $field): array
    {
        foreach ($sources as $key => $settings) {
            if (($settings[$field] ?? null) !== null && $settings[$field] !== '') {
                return [$settings[$field], "$key.$field"];
            }
        }

        return [null, null];
    }

    /**
     * One node's config as Laravel's clients read it: a url (or a url string, as Laravel's
     * ConfigurationUrlParser allows) merged over the fields; TLS from scheme tls/rediss (a
     * rediss:// url sets it) or phpredis's tls:// host prefix; a unix socket from scheme unix
     * or a path as host.
     *
     * @param array<string,mixed>|string $entry
     * @return array{conn: array<string,mixed>, tls: bool, host?: string, port?: int, socket?: string}
     */
    private static function node(array|string $entry): array
    {
        $conn = is_string($entry) ? ['url' => $entry] : $entry;
        if (isset($conn['url']) && is_string($conn['url']) && $conn['url'] !== '') {
            $conn = array_merge($conn, self::parseUrl($conn['url']));
        }
        $scheme = strtolower((string) ($conn['scheme'] ?? ''));
        $host = (string) ($conn['host'] ?? '127.0.0.1');
        if (preg_match('#^(tls|rediss|ssl)://#i', $host, $m)) {
            $scheme = strtolower($m[1]);
            $host = substr($host, strlen($m[0]));
        }
        $node = ['conn' => $conn, 'tls' => in_array($scheme, ['tls', 'rediss', 'ssl'], true)];
        if ($scheme === 'unix' || str_starts_with($host, '/')) {
            return $node + ['socket' => (string) ($conn['path'] ?? $host)];
        }

        return $node + ['host' => $host, 'port' => (int) ($conn['port'] ?? 6379)];
    }

    /**
     * The one mapping of a connection or cluster onto Tally\Counter options.
     *
     * @param array<string,mixed> $conn target (host/port, socket or cluster), tls, what,
     *        prefix, database, and the node fields: username, password, context/ssl
     * @param array<string,mixed> $counter
     * @return array<string,mixed>
     */
    private static function connectionOptions(array $conn, string $store, array $counter): array
    {
        $options = [
            'prefix' => $conn['prefix'] . (string) ($counter['prefix'] ?? 'counter:'),
            'connect_timeout' => (float) ($counter['connect_timeout'] ?? 1.0),
            'read_timeout' => (float) ($counter['read_timeout'] ?? 1.0),
        ] + $conn['target'];
        if ((int) ($counter['wait_replicas'] ?? 0) > 0) {
            $options['wait_replicas'] = (int) $counter['wait_replicas'];
            $options['wait_timeout'] = (float) ($counter['wait_timeout'] ?? 0.5);
        }
        if ($conn['tls']) {
            $options += self::tlsOptions($conn, $store, $conn['what']);
        }
        $username = $conn['username'] ?? null;
        $password = $conn['password'] ?? null;
        if (is_array($password)) {
            // phpredis's auth(['user', 'pass']) spelling (RedisCluster's only way to a username).
            $pair = array_values($password);
            [$username, $password] = count($pair) > 1 ? [$pair[0], $pair[1]] : [$username, $pair[0] ?? null];
        }
        foreach (['username' => $username, 'password' => $password] as $secret => $value) {
            if ($value !== null && $value !== '') {
                $options[$secret] = (string) $value;
            }
        }
        $options['database'] = $conn['database'];

        return $options;
    }

    /**
     * Tally\Counter TLS options from a Redis connection's TLS settings: phpredis's
     * 'context' => ['stream' => [...]] or predis's 'ssl' => [...] (PHP stream context SSL
     * options: cafile, capath, local_cert, local_pk, verify_peer, verify_peer_name,
     * peer_name). Other SSL options are left out: none of them is needed to connect.
     *
     * @param array<string,mixed> $conn
     * @return array<string,mixed>
     */
    private static function tlsOptions(array $conn, string $store, string $what): array
    {
        $ssl = (array) ($conn['context']['stream'] ?? $conn['ssl'] ?? []);
        $options = ['tls' => true];
        foreach (['cafile' => 'tls_ca_file', 'capath' => 'tls_ca_path', 'local_cert' => 'tls_cert_file',
                  'local_pk' => 'tls_key_file', 'peer_name' => 'tls_server_name'] as $from => $to) {
            if (isset($ssl[$from]) && $ssl[$from] !== '') {
                $options[$to] = (string) $ssl[$from];
            }
        }
        $verifyPeer = filter_var($ssl['verify_peer'] ?? true, FILTER_VALIDATE_BOOL);
        $verifyName = filter_var($ssl['verify_peer_name'] ?? true, FILTER_VALIDATE_BOOL);
        if ($verifyPeer && !$verifyName) {
            // tally verifies the certificate and its name together, never one alone.
            throw new InvalidArgumentException(
                "counter.store '$store': $what sets verify_peer_name => false with verify_peer on, "
                . "which the tally extension cannot do: set peer_name to the name in the server's certificate, or verify_peer => false"
            );
        }
        $options['tls_verify'] = $verifyPeer;

        return $options;
    }

    /**
     * counter.buffer and counter.buffer_limit as Tally\Counter options; absent (null) they
     * are left to the tally.buffer* ini settings.
     *
     * @param array<string,mixed> $counter
     * @return array<string,mixed>
     */
    private static function bufferOptions(array $counter): array
    {
        $options = [];
        if (($counter['buffer'] ?? null) !== null) {
            $buffer = filter_var($counter['buffer'], FILTER_VALIDATE_BOOL, FILTER_NULL_ON_FAILURE);
            if ($buffer === null) {
                throw new InvalidArgumentException('counter.buffer must be true, false or null');
            }
            $options['buffer'] = $buffer;
        }
        if (($counter['buffer_limit'] ?? null) !== null) {
            $limit = filter_var($counter['buffer_limit'], FILTER_VALIDATE_INT);
            if ($limit === false || $limit < 1) {
                throw new InvalidArgumentException('counter.buffer_limit must be a positive integer (distinct counters)');
            }
            $options['buffer_limit'] = $limit;
        }

        return $options;
    }

    /** @return array<string,mixed> */
    private static function parseUrl(string $url): array
    {
        $parts = parse_url($url);
        if ($parts === false) {
            throw new InvalidArgumentException('the Redis connection url cannot be parsed');
        }
        $out = [];
        foreach (['host', 'port', 'scheme', 'path'] as $k) {
            if (isset($parts[$k])) {
                $out[$k] = $parts[$k];
            }
        }
        if (isset($parts['user'])) {
            $out['username'] = rawurldecode($parts['user']);
        }
        if (isset($parts['pass'])) {
            $out['password'] = rawurldecode($parts['pass']);
        }
        if (($parts['scheme'] ?? '') !== 'unix' && isset($parts['path']) && ctype_digit(ltrim($parts['path'], '/'))) {
            $out['database'] = (int) ltrim($parts['path'], '/');
        }

        return $out;
    }
}
