<?php

// counter:import-model-counter on SQLite, MariaDB and PostgreSQL: rejoose/model-counter's
// table (its own DDL, its rows) and pending keys (INCRBY through its cache store, named as it
// names them) are moved into Tally exactly once and read back exactly; what cannot be mapped
// stays in place and is reported; a dry run changes nothing; a run SIGKILLed midway (inside
// a batch's transaction, between keys) and run again loses and doubles nothing; the upgrade
// migration sets aside a peer table of Tally's name. PendingField matches the extension.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Cache\CacheServiceProvider;
use Illuminate\Database\ConnectionInterface;
use Illuminate\Database\Eloquent\Relations\Relation;
use Illuminate\Foundation\Application;
use Illuminate\Redis\RedisServiceProvider;
use PHPUnit\Framework\Attributes\DataProvider;
use PHPUnit\Framework\Attributes\RequiresPhpExtension;
use Symfony\Component\Process\Process;
use Tally\Laravel\Counter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Import\PendingField;
use Tally\Laravel\Tests\Fixtures\Article;
use Tally\Laravel\Tests\Fixtures\Laravel;
use Tally\Laravel\Tests\Fixtures\PeerSchema;
use Tally\Laravel\Tests\Fixtures\User;

final class ImportModelCounterTest extends TestCase
{
    private const FROM = 'peer_counters';

    /** @return array<string,array{string}> */
    public static function databases(): array
    {
        return ['sqlite' => ['sqlite'], 'mariadb' => ['mariadb'], 'pgsql' => ['pgsql']];
    }

    /** @return array<string,array{string}> a database another process can open too */
    public static function sharedDatabases(): array
    {
        return ['sqlite file' => ['sqlite-file'], 'mariadb' => ['mariadb'], 'pgsql' => ['pgsql']];
    }

    protected function config(): array
    {
        return parent::config() + ['cache' => [
            'default' => 'redis',
            'prefix' => 'app_cache_',
            'stores' => ['redis' => ['driver' => 'redis', 'connection' => 'default']],
        ]];
    }

    protected function createApplication(?array $config = null): Application
    {
        $app = parent::createApplication($config);
        $app->register(RedisServiceProvider::class);
        $app->register(CacheServiceProvider::class);

        return $app;
    }

    #[DataProvider('databases')]
    public function testMovesRowsAndKeysExactlyOnce(string $db): void
    {
        $this->useDatabase($db);
        [$user, $article] = $this->peerData();

        // Dry run: what would move, nothing changed.
        $before = [$this->peerRows(), $this->peerKeys()];
        [$code, $out] = $this->artisan('counter:import-model-counter', ['--from-table' => self::FROM, '--dry-run' => true]);
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString('Dry run: would move 10 row(s) and 10 key(s); 3 left in place.', $out);
        $this->assertSame($before, [$this->peerRows(), $this->peerKeys()]);
        $this->assertSame(1, Counter::get($user, 'downloads'));

        [$code, $out] = $this->artisan('counter:import-model-counter', ['--from-table' => self::FROM]);
        $this->assertSame(1, $code, $out);   // something was left in place
        $this->assertStringContainsString('Moved 10 row(s) and 10 key(s); 3 left in place.', $out);
        $this->assertMatchesRegularExpression('/\(global\)\s*\|\s*2\s*\|\s*2\s*\|/', $out);
        $this->assertMatchesRegularExpression('/\| user\s*\|\s*7\s*\|\s*6\s*\|/', $out);
        $this->assertMatchesRegularExpression('/' . preg_quote(Article::class, '/') . '\s*\|\s*1\s*\|\s*2\s*\|/', $out);
        $this->assertStringContainsString("owner type 'App\\Models\\Gone': no model or morph map alias of this name", $out);
        $this->assertStringContainsString("key {$this->redisPrefix}app_cache_counter:gone:1:views: owner type 'gone'", $out);
        $this->assertStringContainsString("key {$this->redisPrefix}app_cache_counter:notakey: not a rejoose/model-counter key", $out);
        $this->assertExactValues($user, $article);
        $this->assertSame(['App\\Models\\Gone|1|views=8'], $this->peerRows());
        $this->assertSame(['app_cache_counter:gone:1:views=1', 'app_cache_counter:notakey=1'], $this->peerKeys());

        // Again: nothing more moves; then the sync writes the same values to SQL.
        [$code, $out] = $this->artisan('counter:import-model-counter', ['--from-table' => self::FROM]);
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString('Moved 0 row(s) and 0 key(s); 3 left in place.', $out);
        $this->assertExactValues($user, $article);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertExactValues($user, $article);
        $this->assertContains("user|$user->id|views|week|2026-03-02=9", $this->counterRows());
        $this->assertContains('||signups||1970-01-01=110', $this->counterRows());
    }

    /** The peer's model_counters where Tally's must go: `migrate` sets it aside, the import finds it there. */
    #[DataProvider('databases')]
    public function testMigrateSetsASameNamedPeerTableAside(string $db): void
    {
        $this->useDatabase($db);
        $connection = $this->app->make('db')->connection();
        PeerSchema::create($connection, 'model_counters');
        // The peer's create migration has the name of Tally's: recorded as run, Tally's is skipped.
        $this->artisan('migrate:install');
        $connection->table('migrations')->insert(['migration' => '2024_01_01_000000_create_model_counters_table', 'batch' => 1]);
        PeerSchema::row($connection, 'model_counters', null, null, 'signups', 40);
        PeerSchema::row($connection, 'model_counters', null, null, 'signups', 3, 'month', '2026-03-01');

        [$code, $out] = $this->artisan('counter:import-model-counter', ['--no-keys' => true]);
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString("Tally's table model_counters does not exist yet (or is not Tally's): run `php artisan migrate` first", $out);

        $this->migrate();
        $schema = $connection->getSchemaBuilder();
        $this->assertTrue($schema->hasColumn('model_counters', 'sync_seq'));
        $this->assertSame(2, $connection->table('model_counters_before_tally')->count());
        [$code, $out] = $this->artisan('counter:import-model-counter', ['--no-keys' => true]);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('Moved 2 row(s) and 0 key(s); 0 left in place.', $out);
        $this->assertSame(40, Counter::getGlobal('signups'));
        $this->assertSame(3, Counter::getGlobal('signups', Interval::Month, '2026-03-15'));
        $this->assertSame(0, $connection->table('model_counters_before_tally')->count());
    }

    /** SIGKILLed inside a batch's transaction, then between two keys; each rerun finishes with exact totals. */
    #[DataProvider('sharedDatabases')]
    #[RequiresPhpExtension('posix')]
    public function testKilledMidwayAndRunAgainLosesAndDoublesNothing(string $db): void
    {
        $this->useDatabase($db);
        $this->migrateWithOwners();
        Relation::morphMap(['user' => User::class]);
        $connection = $this->app->make('db')->connection();
        PeerSchema::create($connection, self::FROM);
        $users = [];
        for ($i = 0; $i < 6; $i++) {
            $users[] = User::create();
        }
        $expected = [];
        foreach ($users as $i => $user) {
            foreach (['a', 'b', 'c', 'd', 'e'] as $j => $key) {
                PeerSchema::row($connection, self::FROM, 'user', $user->id, $key, 100 * $i + $j);
                PeerSchema::pending('user', $user->id, $key, $i + 10 * $j + 1);
                $expected["$user->id|$key"] = 100 * $i + $j + $i + 10 * $j + 1;
            }
        }
        $parameters = ['--from-table' => self::FROM, '--batch-size' => '4'];

        // Killed with its third batch's DELETE run but not committed: two batches moved, not the third.
        $this->runKilled('rows', 3, $parameters);
        $this->assertSame(30 - 8, $connection->table(self::FROM)->count());
        $this->assertCount(30, $this->peerKeys());
        $this->assertTotals($users, $expected);

        // Run again, killed after the probe and 7 keys moved (the rows all moved first).
        $this->runKilled('keys', 8, $parameters);
        $this->assertSame(0, $connection->table(self::FROM)->count());
        $this->assertCount(30 - 7, $this->peerKeys());
        $this->assertTotals($users, $expected);

        [$code, $out] = $this->artisan('counter:import-model-counter', $parameters);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('Moved 0 row(s) and 23 key(s); 0 left in place.', $out);
        $this->assertSame([], $this->peerKeys());
        $this->assertTotals($users, $expected);
    }

    /** The import's codec of owner hashes and fields is the extension's: it reads what the script writes. */
    public function testPendingFieldIsTheExtensionsCodec(): void
    {
        $engine = new \Tally\Counter(Laravel::tallyOptions(['prefix' => $this->redisPrefix . 'codec:']));
        $redis = $this->redis();
        $cases = [
            ['App\\Models\\User', '42', 'views', null, ''],
            ["we:ird{type}%*?[x]\\", "id:{1}\n", "key with spaces", null, ''],
            ['user', '7', "\0starts-with-nul", null, ''],
            ['', '', 'signups', null, ''],
            ['user', '7', 'views', Interval::Day, '2026-03-02'],
            ['user', '7', 'views', Interval::Week, '2026-03-02'],
            ['user', '7', 'views', Interval::Month, '2026-03-01'],
            ['user', '7', 'views', Interval::Quarter, '2026-01-01'],
            ['user', 'ü', 'vües', Interval::Year, '2026-01-01'],
        ];
        foreach ($cases as $i => [$type, $id, $key, $interval, $start]) {
            $redis->hIncrBy(PendingField::hash($this->redisPrefix . 'codec:', $type, $id), PendingField::field($key, $interval, $start), 10 + $i);
            $this->assertSame(10 + $i, $engine->pending($type, $id, $key, $interval?->value, $start === '' ? null : $start), "case $i");
        }
    }

    public function testBadOptionsAndAnotherRedisAreRefused(): void
    {
        $this->migrate();
        [$code, $out] = $this->artisan('counter:import-model-counter', ['--batch-size' => '0']);
        $this->assertSame(1, $code);
        $this->assertStringContainsString("--batch-size must be a whole number from 1 to 10000, got '0'", $out);
        [$code, $out] = $this->artisan('counter:import-model-counter', ['--model' => ['App\\Nope']]);
        $this->assertSame(1, $code);
        $this->assertStringContainsString("--model 'App\\Nope' is neither an Eloquent model class nor a morph map alias", $out);
        [$code, $out] = $this->artisan('counter:import-model-counter', ['--from-table' => 'model_counters', '--no-keys' => true]);
        $this->assertSame(1, $code);
        $this->assertStringContainsString("--from-table model_counters is not rejoose/model-counter's table", $out);
        [$code, $out] = $this->artisan('counter:import-model-counter', ['--store' => 'array']);
        $this->assertSame(1, $code);
        $this->assertStringContainsString("--store 'array' is not a cache store with the redis driver", $out);

        // Tally on a Redis Cluster: the two keys are in different slots, refused before anything moves.
        $this->reboot(['database' => ['redis' => ['clusters' => ['tally' => [['host' => '127.0.0.1', 'port' => 1]]]]],
                       'counter' => ['store' => 'tally']]);
        $this->migrate();
        [$code, $out] = $this->artisan('counter:import-model-counter');
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString('counter.store is a Redis Cluster: a key cannot be moved into another slot atomically', $out);

        // The peer's cache store on a Predis cluster (client-side sharding here): refused too.
        $this->reboot(['database' => ['redis' => ['client' => 'predis', 'options' => ['cluster' => 'predis'],
                                                  'clusters' => ['peer' => [Laravel::redisConnection()]]]],
                       'counter' => ['store' => 'default'], 'cache' => ['stores' => ['redis' => ['connection' => 'peer']]]]);
        $this->migrate();
        [$code, $out] = $this->artisan('counter:import-model-counter');
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString('importing pending keys needs the phpredis or Predis client on a single Redis server, not a Predis cluster', $out);

        // The peer's cache store on another Redis database than Tally's is fine (the script
        // SELECTs); on another server it cannot be atomic, and nothing moves.
        $this->reboot(['database' => ['redis' => ['other' => ['port' => 1] + Laravel::redisConnection()]],
                       'counter' => ['store' => 'default'], 'cache' => ['stores' => ['redis' => ['connection' => 'other']]]]);
        $this->migrate();
        [$code, $out] = $this->artisan('counter:import-model-counter');
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString('Connection refused', $out);
    }

    /** The peer's cache store on another database of Tally's server: the script SELECTs Tally's and moves the keys. */
    public function testKeysMoveFromAnotherDatabaseOfTheSameServer(): void
    {
        $this->reboot(['database' => ['redis' => ['cache' => ['database' => 3] + Laravel::redisConnection()]],
                       'cache' => ['stores' => ['redis' => ['connection' => 'cache']]]]);
        $this->migrateWithOwners();
        $user = User::create();
        PeerSchema::pending(User::class, $user->id, 'downloads', 5);
        PeerSchema::pending(User::class, $user->id, 'downloads', 2, 'day', '2026-03-02');

        [$code, $out] = $this->artisan('counter:import-model-counter');
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('Moved 0 row(s) and 2 key(s); 0 left in place.', $out);
        $this->assertSame(5, Counter::get($user, 'downloads'));
        $this->assertSame(2, Counter::get($user, 'downloads', Interval::Day, '2026-03-02'));
        $redis = $this->redis();
        $redis->select(3);
        $this->assertSame([], $redis->keys($this->redisPrefix . '*'));
    }

    /** An app on Predis (database.redis.client 'predis'): the peer's keys, prefixed by Predis, move as with phpredis. */
    public function testKeysMoveThroughPredis(): void
    {
        $stream = Laravel::redisConnection()['context']['stream'] ?? null;   // over TLS: Predis names phpredis's stream context 'ssl'
        $this->reboot(['database' => ['redis' => ['client' => 'predis'] + ($stream === null ? [] : ['default' => ['ssl' => $stream]])]]);
        $this->assertInstanceOf(\Predis\ClientInterface::class, $this->app->make('redis')->connection('default')->client());
        $this->migrateWithOwners();
        $user = User::create();
        PeerSchema::pending(User::class, $user->id, 'downloads', 5);
        PeerSchema::pending(User::class, $user->id, 'downloads', 2, 'day', '2026-03-02');
        PeerSchema::pending(null, null, 'signups', 4);
        PeerSchema::pending('App\\Models\\Gone', 1, 'views', 1);
        $this->assertCount(4, $this->redis()->keys($this->redisPrefix . 'app_cache_counter:*'));

        [$code, $out] = $this->artisan('counter:import-model-counter', ['--dry-run' => true]);
        $this->assertStringContainsString('Dry run: would move 0 row(s) and 3 key(s); 1 left in place.', $out);
        $this->assertCount(4, $this->redis()->keys($this->redisPrefix . 'app_cache_counter:*'));
        [$code, $out] = $this->artisan('counter:import-model-counter');
        $this->assertSame(1, $code, $out);   // the unmapped key is left in place
        $this->assertStringContainsString('Moved 0 row(s) and 3 key(s); 1 left in place.', $out);
        $this->assertStringContainsString("key {$this->redisPrefix}app_cache_counter:app.models.gone:1:views: owner type", $out);
        $this->assertSame(5, Counter::get($user, 'downloads'));
        $this->assertSame(2, Counter::get($user, 'downloads', Interval::Day, '2026-03-02'));
        $this->assertSame(4, Counter::getGlobal('signups'));
        $this->assertSame([$this->redisPrefix . 'app_cache_counter:app.models.gone:1:views'], $this->redis()->keys($this->redisPrefix . 'app_cache_counter:*'));
        [, $out] = $this->artisan('counter:import-model-counter');
        $this->assertStringContainsString('Moved 0 row(s) and 0 key(s); 1 left in place.', $out);
        $this->assertSame(5, Counter::get($user, 'downloads'));
    }

    /** The peer's cache store on another Redis server: no script can move a key atomically, nothing moves. */
    public function testAnotherRedisServerIsRefused(): void
    {
        $server = getenv('TALLY_TEST_REDIS_SERVER') ?: 'redis-server';
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr((string) stream_socket_get_name($socket, false), strrpos((string) stream_socket_get_name($socket, false), ':') + 1);
        fclose($socket);
        $other = new Process([$server, '--port', (string) $port, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
        $other->start();
        try {
            $client = new \Redis();
            for ($i = 0; $i < 100; $i++) {
                try {
                    $client->connect('127.0.0.1', $port);
                    break;
                } catch (\RedisException) {
                    usleep(20000);
                }
            }
            $this->reboot(['database' => ['redis' => ['other' => ['host' => '127.0.0.1', 'port' => $port, 'database' => 0]]],
                           'cache' => ['stores' => ['redis' => ['connection' => 'other']]]]);
            $this->migrateWithOwners();
            $user = User::create();
            PeerSchema::pending(User::class, $user->id, 'downloads', 5);

            [$code, $out] = $this->artisan('counter:import-model-counter');
            $this->assertSame(1, $code, $out);
            $this->assertStringContainsString("the Redis of rejoose/model-counter's cache store is not the server Tally counts on", $out);
            $this->assertSame(0, Counter::get($user, 'downloads'));
            $this->assertSame(1, count($client->keys('*counter:*downloads')));
            $this->assertSame([], preg_grep('/import-probe/', $this->redisKeys()));   // the probe on Tally's server is gone
        } finally {
            $other->stop(1);
        }
    }

    /**
     * The peer's table (self::FROM) and keys for a User (morph alias 'user'), an Article (no
     * alias: its class), global counters, and what cannot be mapped; Tally already counted 1.
     *
     * @return array{User, Article}
     */
    private function peerData(): array
    {
        $this->migrateWithOwners();
        Relation::morphMap(['user' => User::class]);
        $user = User::create();
        $article = Article::create();
        $c = $this->app->make('db')->connection();
        PeerSchema::create($c, self::FROM);
        PeerSchema::row($c, self::FROM, 'user', $user->id, 'downloads', 10);
        PeerSchema::row($c, self::FROM, 'user', $user->id, 'views', 4, 'day', '2026-03-02');
        PeerSchema::row($c, self::FROM, 'user', $user->id, 'views', 7, 'week', '2026-03-02');
        PeerSchema::row($c, self::FROM, 'user', $user->id, 'views', 9, 'month', '2026-03-01');
        PeerSchema::row($c, self::FROM, 'user', $user->id, 'views', 11, 'quarter', '2026-01-01');
        PeerSchema::row($c, self::FROM, 'user', $user->id, 'views', 13, 'year', '2026-01-01');
        PeerSchema::row($c, self::FROM, 'user', $user->id, 'views', 20, 'day', '2026-02-28');
        PeerSchema::row($c, self::FROM, Article::class, $article->id, 'likes', 3);
        PeerSchema::row($c, self::FROM, null, null, 'signups', 100);
        PeerSchema::row($c, self::FROM, null, null, 'signups', 6, 'day', '2026-03-02');
        PeerSchema::row($c, self::FROM, 'App\\Models\\Gone', 1, 'views', 8);
        PeerSchema::pending('user', $user->id, 'downloads', 5);
        PeerSchema::pending('user', $user->id, 'views', 1, 'day', '2026-03-02');
        PeerSchema::pending('user', $user->id, 'views', 2, 'week', '2026-10');
        PeerSchema::pending('user', $user->id, 'views', 3, 'month', '2026-03');
        PeerSchema::pending('user', $user->id, 'views', 4, 'quarter', '2026-Q1');
        PeerSchema::pending('user', $user->id, 'views', 5, 'year', '2026');
        PeerSchema::pending(Article::class, $article->id, 'likes', 2);
        PeerSchema::pending(Article::class, $article->id, 'likes', 1, 'day', '2026-03-02');
        PeerSchema::pending(null, null, 'signups', 10);
        PeerSchema::pending(null, null, 'signups', 1, 'day', '2026-03-02');
        PeerSchema::pending('gone', 1, 'views', 1);
        $this->app->make('cache')->store('redis')->increment('counter:notakey');
        $user->incrementCounter('downloads', 1);

        return [$user, $article];
    }

    private function assertExactValues(User $user, Article $article): void
    {
        $this->assertSame(16, Counter::get($user, 'downloads'));
        $this->assertSame(5, Counter::get($user, 'views', Interval::Day, '2026-03-02'));
        $this->assertSame(9, Counter::get($user, 'views', Interval::Week, '2026-03-05'));
        $this->assertSame(12, Counter::get($user, 'views', Interval::Month, '2026-03-31'));
        $this->assertSame(15, Counter::get($user, 'views', Interval::Quarter, '2026-02-01'));
        $this->assertSame(18, Counter::get($user, 'views', Interval::Year, '2026-06-01'));
        $this->assertSame(['2026-02-28' => 20, '2026-03-01' => 0, '2026-03-02' => 5], Counter::history($user, 'views', Interval::Day, 3, '2026-03-02'));
        $this->assertSame(5, Counter::get($article, 'likes'));
        $this->assertSame(1, Counter::get($article, 'likes', Interval::Day, '2026-03-02'));
        $this->assertSame(110, Counter::getGlobal('signups'));
        $this->assertSame(7, Counter::getGlobal('signups', Interval::Day, '2026-03-02'));
        $this->assertSame(['downloads' => 16], Counter::all($user));
    }

    /**
     * @param list<User> $users
     * @param array<string,int> $expected "id|key" => total
     */
    private function assertTotals(array $users, array $expected): void
    {
        $peer = [];
        foreach ($this->app->make('db')->connection()->table(self::FROM)->get() as $row) {
            $peer["$row->owner_id|$row->key"] = (int) $row->count;
        }
        $redis = $this->redis();
        foreach ($users as $user) {
            foreach (['a', 'b', 'c', 'd', 'e'] as $key) {
                $pending = (int) $redis->get($this->redisPrefix . "app_cache_counter:user:$user->id:$key");
                $this->assertSame($expected["$user->id|$key"], Counter::get($user, $key) + ($peer["$user->id|$key"] ?? 0) + $pending, "$user->id|$key");
            }
        }
    }

    /** @param array<string,mixed> $parameters */
    private function runKilled(string $mode, int $n, array $parameters): void
    {
        $state = $this->basePath . '/import-child.state';
        file_put_contents($state, serialize([
            'basePath' => $this->basePath,
            'config' => $this->app->make('config')->all(),
            'morphMap' => Relation::morphMap(),
            'parameters' => $parameters,
        ]));
        $autoload = dirname((new \ReflectionClass(\Composer\Autoload\ClassLoader::class))->getFileName(), 2) . '/autoload.php';
        $php = [PHP_BINARY];
        if (getenv('TALLY_SO') !== false) {
            $php = [PHP_BINARY, '-d', 'extension=' . getenv('TALLY_SO')];
        }
        $process = new Process([...$php, __DIR__ . '/Fixtures/import-child.php', $autoload, $state, $mode, (string) $n]);
        try {
            $process->run();
            $signal = null;
        } catch (\Symfony\Component\Process\Exception\ProcessSignaledException $e) {
            $signal = $e->getSignal();
        }
        @unlink($state);
        $this->assertSame(SIGKILL, $signal, $process->getOutput() . $process->getErrorOutput());
    }

    /** @return list<string> the peer's rows "type|id|key=count" */
    private function peerRows(): array
    {
        $out = [];
        foreach ($this->app->make('db')->connection()->table(self::FROM)->orderBy('id')->get() as $r) {
            $out[] = "$r->owner_type|$r->owner_id|$r->key=$r->count";
        }

        return $out;
    }

    /** @return list<string> the peer's pending keys (without the connection prefix) "key=value" */
    private function peerKeys(): array
    {
        $out = [];
        foreach ($this->redisKeys() as $key) {
            if (str_starts_with($key, 'app_cache_counter:')) {
                $out[] = $key . '=' . $this->redis()->get($this->redisPrefix . $key);
            }
        }

        return $out;
    }
}
