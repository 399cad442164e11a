<?php

// Tally\Laravel\Settings: the Redis connection comes from config/database.php only.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Config\Repository;
use PHPUnit\Framework\TestCase as BaseTestCase;
use Tally\InvalidArgumentException;
use Tally\Laravel\Settings;

final class SettingsTest extends BaseTestCase
{
    /** What the TLS settings of the cases below map onto. */
    private const TLS_OPTIONS = [
        'tls' => true,
        'tls_ca_file' => '/ca.crt',
        'tls_cert_file' => '/c.crt',
        'tls_key_file' => '/c.key',
        'tls_server_name' => 'redis.local',
        'tls_verify' => true,
    ];

    private function settings(array $config): Settings
    {
        return Settings::fromConfig(new Repository($config));
    }

    public function testRedisConnectionFieldsAndBothPrefixes(): void
    {
        $s = $this->settings([
            'database' => ['redis' => [
                'options' => ['prefix' => 'app_database_'],
                'default' => ['host' => '10.0.0.1', 'port' => '6380', 'username' => 'u', 'password' => 'p', 'database' => '3'],
            ]],
            'counter' => ['prefix' => 'c:', 'sync_batch_size' => '500', 'table_name' => 'counts'],
        ]);
        $this->assertSame([
            'prefix' => 'app_database_c:',
            'connect_timeout' => 1.0,
            'read_timeout' => 1.0,
            'host' => '10.0.0.1',
            'port' => 6380,
            'username' => 'u',
            'password' => 'p',
            'database' => 3,
        ], $s->redis);
        $this->assertSame([500, 'counts', null, false, 'auto'], [$s->batchSize, $s->table, $s->connection, $s->failOpen, $s->sink]);
    }

    public function testNamedConnectionUrlAndEmptyPassword(): void
    {
        $s = $this->settings([
            'database' => ['redis' => [
                'default' => ['host' => 'wrong'],
                'counters' => ['url' => 'redis://:s%40cret@redis.local:7000/2', 'password' => null, 'prefix' => 'own:'],
            ]],
            'counter' => ['store' => 'counters'],
        ]);
        $this->assertSame(['redis.local', 7000, 's@cret', 2, 'own:counter:'], [
            $s->redis['host'], $s->redis['port'], $s->redis['password'], $s->redis['database'], $s->redis['prefix'],
        ]);
        $this->assertArrayNotHasKey('username', $s->redis);
    }

    public function testUnixSocket(): void
    {
        $s = $this->settings(['database' => ['redis' => ['default' => ['scheme' => 'unix', 'path' => '/run/redis.sock']]]]);
        $this->assertSame('/run/redis.sock', $s->redis['socket']);
        $this->assertArrayNotHasKey('host', $s->redis);
    }

    public function testSeedStyleCacheStoreName(): void
    {
        $s = $this->settings([
            'database' => ['redis' => ['default' => ['port' => 1], 'cache' => ['port' => 2]]],
            'cache' => ['stores' => ['redis' => ['driver' => 'redis', 'connection' => 'cache']]],
            'counter' => ['store' => 'redis'],
        ]);
        $this->assertSame(2, $s->redis['port']);
    }

    public function testUnknownStoreIsAClearError(): void
    {
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage("counter.store 'nope' is neither a Redis connection in database.redis, a cluster in database.redis.clusters, nor a redis cache store");
        $this->settings(['database' => ['redis' => ['default' => []]], 'counter' => ['store' => 'nope']]);
    }

    public function testBadBatchSizeAndSink(): void
    {
        foreach ([['sync_batch_size' => 0], ['sync_batch_size' => 'x'], ['sink' => 'magic'], ['table_name' => '']] as $bad) {
            try {
                $this->settings(['database' => ['redis' => ['default' => []]], 'counter' => $bad]);
                $this->fail('accepted ' . json_encode($bad));
            } catch (InvalidArgumentException $e) {
                $this->assertStringStartsWith('counter.', $e->getMessage());
            }
        }
    }

    public function testTlsSchemeUrlAndHostMapOntoTheTlsOptions(): void
    {
        $stream = ['cafile' => '/ca.crt', 'local_cert' => '/c.crt', 'local_pk' => '/c.key', 'peer_name' => 'redis.local'];
        $cases = [
            [['scheme' => 'tls', 'host' => 'r', 'port' => 6380, 'context' => ['stream' => $stream]], 'r'],
            [['url' => 'rediss://r:6380', 'context' => ['stream' => $stream]], 'r'],
            [['host' => 'tls://r', 'port' => 6380, 'context' => ['stream' => $stream]], 'r'],
            [['scheme' => 'tls', 'host' => 'r', 'port' => 6380, 'ssl' => $stream], 'r'],   // predis spelling
        ];
        foreach ($cases as [$conn, $host]) {
            $s = $this->settings(['database' => ['redis' => ['default' => $conn]]]);
            $this->assertSame([
                'prefix' => 'counter:',
                'connect_timeout' => 1.0,
                'read_timeout' => 1.0,
                'host' => $host,
                'port' => 6380,
            ] + self::TLS_OPTIONS + ['database' => 0], $s->redis);
        }
        $s = $this->settings(['database' => ['redis' => ['default' => ['url' => 'rediss://r', 'context' => ['stream' => ['verify_peer' => false]]]]]]);
        $this->assertSame([true, false], [$s->redis['tls'], $s->redis['tls_verify']]);
        $s = $this->settings(['database' => ['redis' => ['default' => ['host' => 'r']]]]);
        $this->assertArrayNotHasKey('tls', $s->redis);
    }

    public function testTlsNameCheckAloneOffIsAClearError(): void
    {
        try {
            $this->settings(['database' => ['redis' => ['default' => ['scheme' => 'tls', 'host' => 'r', 'context' => ['stream' => ['verify_peer_name' => false]]]]]]);
            $this->fail('no exception');
        } catch (InvalidArgumentException $e) {
            $this->assertSame(
                "counter.store 'default': the Redis connection 'default' sets verify_peer_name => false with verify_peer on, which the tally extension cannot do: set peer_name to the name in the server's certificate, or verify_peer => false",
                $e->getMessage()
            );
        }
    }

    public function testTextOnlyWhenTheTableIsOnPostgreSql(): void
    {
        $redis = ['redis' => ['default' => []]];
        $connections = ['connections' => ['pg' => ['driver' => 'pgsql'], 'my' => ['driver' => 'mariadb']]];
        $this->assertTrue($this->settings(['database' => $redis + $connections + ['default' => 'pg']])->textOnly);
        $this->assertFalse($this->settings(['database' => $redis + $connections + ['default' => 'my']])->textOnly);
        $this->assertTrue($this->settings(['database' => $redis + $connections + ['default' => 'my'], 'counter' => ['connection' => 'pg']])->textOnly);
    }

    public function testClusterNodesBecomeTheClusterOptionWithPhpRedisOptions(): void
    {
        // Laravel's phpredis cluster: auth and prefix in the options merged for a cluster.
        $s = $this->settings([
            'database' => ['redis' => [
                'client' => 'phpredis',
                'options' => ['cluster' => 'redis', 'prefix' => 'app_database_', 'password' => 'wrong'],
                'clusters' => [
                    'options' => ['password' => 's3cret'],
                    'default' => [
                        ['host' => '10.0.0.1', 'port' => 7000, 'database' => '0'],
                        ['host' => '10.0.0.2', 'port' => '7001'],
                        'redis://10.0.0.3:7002',
                    ],
                ],
            ]],
            'counter' => ['connect_timeout' => 0.25, 'read_timeout' => 2],
        ]);
        $this->assertSame([
            'prefix' => 'app_database_counter:',
            'connect_timeout' => 0.25,
            'read_timeout' => 2.0,
            'cluster' => ['10.0.0.1:7000', '10.0.0.2:7001', '10.0.0.3:7002'],
            'password' => 's3cret',
            'database' => 0,
        ], $s->redis);
    }

    public function testClusterWithPredisStyleNodesAndItsOwnOptions(): void
    {
        // predis: auth on each node; the cluster's own options win over the shared ones.
        $node = ['username' => 'counter', 'password' => 'p', 'database' => 0];
        $s = $this->settings([
            'database' => ['redis' => [
                'options' => ['prefix' => 'app_'],
                'clusters' => ['main' => [
                    ['host' => 'a', 'port' => 7000] + $node,
                    ['url' => 'redis://b:7001'] + $node,
                    'options' => ['prefix' => 'main_'],
                ]],
            ]],
            'counter' => ['store' => 'main', 'prefix' => 'c:'],
        ]);
        $this->assertSame([
            'prefix' => 'main_c:',
            'connect_timeout' => 1.0,
            'read_timeout' => 1.0,
            'cluster' => ['a:7000', 'b:7001'],
            'username' => 'counter',
            'password' => 'p',
            'database' => 0,
        ], $s->redis);
    }

    public function testClusterUserAndPasswordPairAsRedisClusterTakesIt(): void
    {
        $s = $this->settings(['database' => ['redis' => ['clusters' => [
            'options' => ['password' => ['counter', 'p']],
            'default' => [['host' => 'a', 'port' => 7000]],
        ]]]]);
        $this->assertSame(['counter', 'p'], [$s->redis['username'], $s->redis['password']]);
        // predis's options.parameters, the defaults of every node.
        $s = $this->settings(['database' => ['redis' => [
            'options' => ['parameters' => ['password' => 'q']],
            'clusters' => ['default' => [['host' => 'a', 'port' => 7000]]],
        ]]]);
        $this->assertSame('q', $s->redis['password']);
    }

    public function testClusterTlsMapsAsForOneConnection(): void
    {
        $ssl = ['cafile' => '/ca.crt', 'local_cert' => '/c.crt', 'local_pk' => '/c.key', 'peer_name' => 'redis.local'];
        $expected = [
            'prefix' => 'counter:',
            'connect_timeout' => 1.0,
            'read_timeout' => 1.0,
            'cluster' => ['a:7000', 'b:7001'],
        ] + self::TLS_OPTIONS + ['database' => 0];
        $cases = [
            // phpredis: scheme per node (Laravel makes it tls://host), RedisCluster's context is the SSL options.
            ['clusters' => ['options' => ['context' => $ssl], 'default' => [
                ['scheme' => 'tls', 'host' => 'a', 'port' => 7000], ['host' => 'tls://b', 'port' => 7001]]]],
            // The same context written as for one connection.
            ['options' => ['context' => ['stream' => $ssl]], 'clusters' => ['default' => [
                ['url' => 'rediss://a:7000'], ['url' => 'rediss://b:7001']]]],
            // predis: ssl on each node.
            ['clusters' => ['default' => [
                ['scheme' => 'tls', 'host' => 'a', 'port' => 7000, 'ssl' => $ssl], ['scheme' => 'tls', 'host' => 'b', 'port' => 7001, 'ssl' => $ssl]]]],
        ];
        foreach ($cases as $i => $redis) {
            $this->assertSame($expected, $this->settings(['database' => ['redis' => $redis]])->redis, "case $i");
        }
    }

    public function testStoreNamesResolveAsLaravelsRedisManager(): void
    {
        $clusters = ['clusters' => ['default' => [['host' => 'c', 'port' => 7000]], 'cache' => [['host' => 'k', 'port' => 7001]]]];
        // A connection of the name comes first, as Redis::connection('default') does.
        $s = $this->settings(['database' => ['redis' => ['default' => ['host' => 'single']] + $clusters]]);
        $this->assertSame('single', $s->redis['host']);
        $this->assertArrayNotHasKey('cluster', $s->redis);
        // A redis cache store whose connection is a cluster (COUNTER_STORE=redis).
        $s = $this->settings([
            'database' => ['redis' => $clusters],
            'cache' => ['stores' => ['redis' => ['driver' => 'redis', 'connection' => 'cache']]],
            'counter' => ['store' => 'redis'],
        ]);
        $this->assertSame(['k:7001'], $s->redis['cluster']);
        // 'clusters' itself is no store.
        $this->expectExceptionMessage("counter.store 'clusters' is neither");
        $this->settings(['database' => ['redis' => $clusters], 'counter' => ['store' => 'clusters']]);
    }

    public function testBadClusterConfigIsAClearErrorNamingTheKey(): void
    {
        $cases = [
            [['default' => []],
                "counter.store 'default': database.redis.clusters.default lists no nodes: give at least one ['host' => ..., 'port' => ...]"],
            [['default' => ['options' => ['password' => 'p']]],
                "counter.store 'default': database.redis.clusters.default lists no nodes: give at least one ['host' => ..., 'port' => ...]"],
            [['default' => [['host' => 'a', 'port' => 7000], ['host' => 'b', 'port' => 7001, 'database' => 2]]],
                "counter.store 'default': database.redis.clusters.default.1.database must be 0 (or left out): a Redis Cluster has only database 0"],
            [['default' => [['url' => 'redis://a:7000/1']]],
                "counter.store 'default': database.redis.clusters.default.0.database must be 0 (or left out): a Redis Cluster has only database 0"],
            [['options' => ['database' => '3'], 'default' => [['host' => 'a', 'port' => 7000]]],
                "counter.store 'default': database.redis.clusters.options.database must be 0 (or left out): a Redis Cluster has only database 0"],
            [['options' => ['parameters' => ['database' => 1]], 'default' => [['host' => 'a', 'port' => 7000]]],
                "counter.store 'default': database.redis.clusters.options.parameters.database must be 0 (or left out): a Redis Cluster has only database 0"],
            [['default' => [['host' => 'a', 'port' => 7000, 'password' => 'one'], ['host' => 'b', 'port' => 7001, 'password' => 'two']]],
                "counter.store 'default': the nodes of database.redis.clusters.default differ in password: the tally extension uses one setting for every node of a cluster"],
            [['default' => [['scheme' => 'tls', 'host' => 'a', 'port' => 7000], ['host' => 'b', 'port' => 7001]]],
                "counter.store 'default': the nodes of database.redis.clusters.default differ in scheme (TLS or not): the tally extension uses one setting for every node of a cluster"],
            [['default' => [['scheme' => 'unix', 'path' => '/run/redis.sock']]],
                "counter.store 'default': database.redis.clusters.default.0 is a unix socket; a Redis Cluster node needs host and port"],
            [['default' => [7000]],
                "counter.store 'default': database.redis.clusters.default.0 must be a node (['host' => ..., 'port' => ...] or a url)"],
        ];
        foreach ($cases as [$clusters, $message]) {
            try {
                $this->settings(['database' => ['redis' => ['clusters' => $clusters]]]);
                $this->fail('accepted ' . json_encode($clusters));
            } catch (InvalidArgumentException $e) {
                $this->assertSame($message, $e->getMessage());
            }
        }
        // database 0 on the nodes, given as Laravel's skeleton writes it (env('REDIS_DB', '0')), is fine.
        $s = $this->settings(['database' => ['redis' => ['clusters' => ['default' => [['host' => 'a', 'port' => 7000, 'database' => '0']]]]]]);
        $this->assertSame(0, $s->redis['database']);
    }
}
