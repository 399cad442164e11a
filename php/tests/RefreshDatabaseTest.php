<?php

// What a user's own test looks like: Laravel's TestCase with RefreshDatabase on SQLite
// :memory: (the subclasses: on PostgreSQL, and on MariaDB with COUNTER_SINK=php as the
// README says), counting through the trait, `counter:sync`, reading back: the PHP sink,
// inside the test's transaction.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Foundation\Application;
use Illuminate\Foundation\Testing\RefreshDatabase;
use Illuminate\Foundation\Testing\RefreshDatabaseState;
use Illuminate\Foundation\Testing\TestCase as LaravelTestCase;
use Illuminate\Support\Facades\Artisan;
use Tally\Laravel\Models\ModelCounter;
use Tally\Laravel\Tests\Fixtures\Laravel;
use Tally\Laravel\Tests\Fixtures\User;

class RefreshDatabaseTest extends LaravelTestCase
{
    use RefreshDatabase;

    private string $redisPrefix;

    /** Plain exit codes from artisan(): PendingCommand needs mockery, which the test mirror lacks. */
    public $mockConsoleOutput = false;

    /** The database server of a subclass ('pgsql', 'mariadb'); null: SQLite :memory:. */
    protected const SERVER = null;
    /** counter.* config of a subclass. */
    protected const COUNTER = [];

    /** @var array<class-string,string> each server class's own schema / table prefix */
    private static array $own = [];

    /** A user's suite is one process on one database: each class starts as a new one. */
    public static function setUpBeforeClass(): void
    {
        parent::setUpBeforeClass();
        RefreshDatabaseState::$migrated = false;
        RefreshDatabaseState::$inMemoryConnections = [];
    }

    public static function tearDownAfterClass(): void
    {
        if (isset(self::$own[static::class])) {
            Laravel::dropOwn(static::SERVER, self::$own[static::class]);
            unset(self::$own[static::class]);
        }
        parent::tearDownAfterClass();
    }

    /** @return array<string,mixed> config over the fixture's (SQLite :memory:) */
    private function database(): array
    {
        $config = ['counter' => static::COUNTER];
        if (static::SERVER === null) {
            return $config;
        }
        self::$own[static::class] ??= 't' . bin2hex(random_bytes(4));
        $connection = Laravel::ownConnection(static::SERVER, self::$own[static::class]);
        if ($connection === null) {
            $this->markTestSkipped('no test ' . static::SERVER . ' server: its TALLY_TEST_* variables are unset (scripts/services start)');
        }

        return $config + ['database' => ['default' => static::SERVER, 'connections' => [static::SERVER => $connection]]];
    }

    public function createApplication(): Application
    {
        if (!extension_loaded('tally') || getenv('TALLY_TEST_REDIS_PORT') === false) {
            $this->markTestSkipped('needs the tally extension and a test Redis (TALLY_TEST_REDIS_PORT)');
        }
        $this->redisPrefix ??= 'tt' . bin2hex(random_bytes(5)) . ':';
        $base = sys_get_temp_dir() . '/tally-laravel-user';
        @mkdir($base . '/database', 0777, true);

        $app = Laravel::boot($base, array_replace_recursive(Laravel::config($this->redisPrefix), $this->database()));
        $app->make('migrator')->path(__DIR__ . '/Fixtures/migrations');   // the users table

        return $app;
    }

    protected function tearDown(): void
    {
        if (isset($this->redisPrefix)) {
            $redis = Fixtures\Laravel::phpredis();
            $it = null;
            while (($keys = $redis->scan($it, $this->redisPrefix . '*', 1000)) !== false) {
                $keys === [] || $redis->del($keys);
                if ($it === 0) {
                    break;
                }
            }
        }
        parent::tearDown();
    }

    public function testIncrementSyncReadBack(): void
    {
        $user = User::create();
        $user->incrementCounter('downloads', 3);

        $this->assertSame(0, $this->artisan('counter:sync'));

        $this->assertDatabaseHas('model_counters', [
            'owner_type' => User::class,
            'owner_id' => (string) $user->id,
            'key' => 'downloads',
            'count' => 3,
        ]);
        $user->incrementCounter('downloads');
        $this->assertSame(4, $user->counter('downloads'));
        $this->assertSame(3, ModelCounter::query()->sole()->count);

        $user->setCounter('downloads', 10);
        $user->incrementCounter('views', 2);
        $this->assertSame(0, $this->artisan('counter:sync'));
        $this->assertSame(['downloads' => 10, 'views' => 2], $user->allCounters());
        $user->resetCounter('views');
        $this->assertSame(0, $this->artisan('counter:sync'));
        $this->assertSame(['downloads' => 10, 'views' => 0], $user->modelCounters()->orderBy('key')->pluck('count', 'key')->all());
    }

    public function testTheDevelopersPendingCountersSurviveATestThatSyncs(): void
    {
        // What the developer's app (APP_ENV=local) left pending on this Redis for the same owner,
        // under the real prefix.
        $real = new \Tally\Counter(Laravel::tallyOptions(['prefix' => $this->redisPrefix . 'counter:']));
        $user = User::create();
        $real->increment(User::class, $user->id, 'downloads', 10);

        $user->incrementCounter('downloads', 3);
        $this->assertSame(0, $this->artisan('counter:sync'));

        $this->assertSame(3, ModelCounter::query()->sole()->count);
        $this->assertSame(['downloads' => 10], $real->pendingAll(User::class, $user->id));
    }

    public function testACountBeyondBigintIsSetAsideInsideTheTestsTransaction(): void
    {
        // The sink's tries are rolled back to a savepoint of the test's transaction, not past it.
        $big = User::create();
        $other = User::create();
        $big->incrementCounter('views', PHP_INT_MAX - 1);
        $this->assertSame(0, $this->artisan('counter:sync'));
        $big->incrementCounter('views', 5);
        $other->incrementCounter('views', 3);

        $this->assertSame(1, $this->artisan('counter:sync'));
        $this->assertStringContainsString("counter 'views' of " . User::class . " #$big->id (delta 5) set aside", Artisan::output());
        $this->assertSame([PHP_INT_MAX - 1, 3], ModelCounter::query()->orderBy('owner_id')->pluck('count')->map(fn ($c) => (int) $c)->all());
        ModelCounter::query()->where('owner_id', (string) $big->id)->update(['count' => 10]);
        $this->assertSame(0, $this->artisan('counter:failed', ['--retry' => true]));
        $this->assertSame(0, $this->artisan('counter:sync'));
        $this->assertSame([15, 3], ModelCounter::query()->orderBy('owner_id')->pluck('count')->map(fn ($c) => (int) $c)->all());
        $this->assertSame(15, $big->counter('views'));
    }

    public function testEachTestStartsEmpty(): void
    {
        $this->assertSame(0, ModelCounter::query()->count());
        $this->assertSame(0, $this->artisan('counter:sync', ['--dry-run' => true]));
        $this->assertStringContainsString('Dry run: nothing was written.', Artisan::output());
    }
}
