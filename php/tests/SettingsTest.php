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
                'tls' => true,
                'tls_ca_file' => '/ca.crt',
                'tls_cert_file' => '/c.crt',
                'tls_key_file' => '/c.key',
                'tls_server_name' => 'redis.local',
                'tls_verify' => true,
                'database' => 0,
            ], $s->redis);
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
}
