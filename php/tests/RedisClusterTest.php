<?php

// A Laravel application whose Redis is a Redis Cluster (database.redis.clusters): counting
// through the facade and the trait, reads across masters, counter:sync, bad cluster config.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Database\Eloquent\Relations\Relation;
use Tally\InvalidArgumentException;
use Tally\Laravel\Counter;
use Tally\Laravel\Ephemeral;
use Tally\Laravel\Settings;
use Tally\Laravel\Tests\Fixtures\User;

final class RedisClusterTest extends TestCase
{
    /** @var list<string> the services' cluster, "host:port" each */
    private array $nodes;

    protected function setUp(): void
    {
        $nodes = (string) getenv('TALLY_TEST_CLUSTER_NODES');
        if ($nodes === '') {
            $this->markTestSkipped('no test Redis Cluster: TALLY_TEST_CLUSTER_NODES is unset (scripts/services start --cluster)');
        }
        $this->nodes = explode(',', $nodes);
        parent::setUp();
        $this->migrateWithOwners();
        Relation::morphMap(['user' => User::class]);
    }

    protected function tearDown(): void
    {
        if (isset($this->nodes, $this->redisPrefix)) {
            $cluster = $this->cluster();
            foreach ($this->clusterKeys() as $key) {
                $cluster->del($key);
            }
        }
        parent::tearDown();
    }

    /**
     * The skeleton's config/database.php with the cluster in 'clusters' and no single
     * connection named 'default', as a phpredis cluster app has it.
     */
    protected function config(): array
    {
        $config = parent::config();
        unset($config['database']['redis']['default']);
        $config['database']['redis']['options']['cluster'] = 'redis';
        $config['database']['redis']['clusters'] = ['default' => array_map(static function (string $node): array {
            $colon = strrpos($node, ':');

            return ['host' => substr($node, 0, $colon), 'port' => (int) substr($node, $colon + 1), 'password' => null, 'database' => '0'];
        }, $this->nodes)];

        return $config;
    }

    public function testTheClusterConfigBecomesTheExtensionsClusterOption(): void
    {
        $redis = $this->app->make(Settings::class)->redis;
        $this->assertSame($this->nodes, $redis['cluster']);
        $this->assertSame($this->tallyPrefix(), $redis['prefix']);
        $this->assertArrayNotHasKey('host', $redis);
    }

    public function testCountsThroughTheFacadeAndTheTraitReadBackFromEveryMaster(): void
    {
        $users = [];
        for ($i = 0; $i < 30; $i++) {
            $users[] = $user = User::create();
            $user->incrementCounter('views', $user->id);
            Counter::increment($user, 'downloads', 2);
            Counter::decrement($user, 'downloads');
        }
        // 30 owners hash to slots on every master: each master holds some of their hashes.
        $perMaster = array_map('count', $this->clusterKeys(true));
        $this->assertCount(3, $perMaster);
        $this->assertSame(30, array_sum($perMaster));
        foreach ($perMaster as $master => $count) {
            $this->assertGreaterThan(0, $count, "no owner on master $master");
        }
        foreach ($users as $user) {
            $this->assertSame($user->id, $user->counter('views'));
            $this->assertSame(['downloads' => 1, 'views' => $user->id], $user->allCounters());
            $this->assertSame(['views' => $user->id, 'none' => 0], Counter::getMany($user, ['views', 'none']));
        }
        $users[0]->setCounter('views', 100);
        $this->assertSame(100, $users[0]->counter('views'));
    }

    public function testWaitReplicasFromTheConfigConfirmsEveryWriteOnTheReplicas(): void
    {
        $this->reboot(['counter' => ['wait_replicas' => 1, 'wait_timeout' => 0.5]]);
        $this->migrateWithOwners();
        Relation::morphMap(['user' => User::class]);
        $redis = $this->app->make(Settings::class)->redis;
        $this->assertSame([1, 0.5], [$redis['wait_replicas'], $redis['wait_timeout']]);
        $user = User::create();
        $user->incrementCounter('views', 7);
        // Confirmed by the replica when the call returned: read it there (READONLY).
        $key = $this->tallyPrefix() . '{user:' . $user->id . '}';
        $found = null;
        foreach ($this->nodes as $node) {
            [$host, $port] = explode(':', $node);
            $r = new \Redis();
            $r->connect($host, (int) $port);
            if (str_contains((string) $r->rawCommand('ROLE')[0], 'slave')) {
                $r->rawCommand('READONLY');
                try {
                    $v = $r->rawCommand('HGET', $key, 'views');
                } catch (\RedisException) {
                    continue;        // MOVED: a replica of another master
                }
                if ($v !== false && $v !== null) {
                    $found = (int) $v;
                }
            }
        }
        $this->assertSame(7, $found);
        $this->assertSame(7, $user->counter('views'));
    }

    public function testEphemeralKeysOnDifferentMastersReadInOneCall(): void
    {
        $names = [];
        for ($i = 0; $i < 20; $i++) {
            $names[] = "page:$i";
            $this->assertSame($i + 1, Ephemeral::increment("page:$i", $i + 1, 600));
        }
        $this->assertGreaterThan(1, count(array_filter(array_map('count', $this->clusterKeys(true)))));
        $this->assertSame(array_combine($names, range(1, 20)), Ephemeral::getMany($names));
        $this->assertSame(20, Ephemeral::forget($names));
        $this->assertSame(0, Ephemeral::get('page:3'));
    }

    public function testCounterSyncMovesTheClustersCountsToSql(): void
    {
        $users = [User::create(), User::create(), User::create()];
        foreach ($users as $i => $user) {
            $user->incrementCounter('views', $i + 1);
        }
        $this->assertSame(3, $users[2]->counter('views'));

        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame([
            "user|{$users[0]->id}|views" => 1,
            "user|{$users[1]->id}|views" => 2,
            "user|{$users[2]->id}|views" => 3,
        ], $this->syncedRows());
        $this->assertSame([], $this->clusterKeys());
        $this->assertSame(3, $users[2]->counter('views'));
        $users[2]->incrementCounter('views');
        $this->assertSame(4, $users[2]->counter('views'));
    }

    public function testBadClusterConfigThrowsTheTypedExceptionNamingTheKey(): void
    {
        $cases = [
            [[], "counter.store 'default': database.redis.clusters.default lists no nodes: give at least one ['host' => ..., 'port' => ...]"],
            [[['host' => '127.0.0.1', 'port' => 7000, 'database' => 1]],
                "counter.store 'default': database.redis.clusters.default.0.database must be 0 (or left out): a Redis Cluster has only database 0"],
        ];
        foreach ($cases as [$nodes, $message]) {
            $config = $this->config();
            $config['database']['redis']['clusters']['default'] = $nodes;
            $this->app->flush();
            $this->app = $this->createApplication($config);
            try {
                Counter::increment(new User(['id' => 1]), 'views');
                $this->fail('counted with clusters.default = ' . json_encode($nodes));
            } catch (InvalidArgumentException $e) {
                $this->assertSame($message, $e->getMessage());
            }
        }
    }

    private function cluster(): \RedisCluster
    {
        return new \RedisCluster(null, $this->nodes, 2.0, 2.0);
    }

    /**
     * This test's keys on the cluster (with the connection prefix), from a SCAN of every
     * master; by master ("host:port" => keys) when $byMaster.
     *
     * @return list<string>|array<string,list<string>>
     */
    private function clusterKeys(bool $byMaster = false): array
    {
        $cluster = $this->cluster();
        $out = [];
        foreach ($cluster->_masters() as [$host, $port]) {
            $keys = [];
            $it = null;
            do {
                foreach ($cluster->scan($it, [$host, $port], $this->redisPrefix . '*', 1000) ?: [] as $key) {
                    $keys[] = $key;
                }
            } while ($it > 0);
            sort($keys);
            $out["$host:$port"] = $keys;
        }
        ksort($out);

        return $byMaster ? $out : array_merge(...array_values($out));
    }
}
