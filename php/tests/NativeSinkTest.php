<?php

// The native path: file SQLite and MariaDB connections sync through Tally\Database,
// built from the Laravel connection's config.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Database\Eloquent\Relations\Relation;
use Tally\Database;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Models\ModelCounter;
use Tally\Laravel\Tests\Fixtures\Document;
use Tally\Laravel\Tests\Fixtures\User;

final class NativeSinkTest extends TestCase
{
    private ?string $mysqlTable = null;

    protected function tearDown(): void
    {
        if ($this->mysqlTable !== null && isset($this->app)) {
            $schema = $this->app->make('db')->connection('mariadb')->getSchemaBuilder();
            $schema->dropIfExists($this->mysqlTable . '_sync');
            $schema->dropIfExists($this->mysqlTable);
        }
        parent::tearDown();
    }

    public function testFileSqlite(): void
    {
        $path = $this->sqliteFile();
        $this->reboot(['database' => ['connections' => ['testing' => ['database' => $path]]]]);
        $this->migrateWithOwners();
        $sink = $this->app->make(CounterManager::class)->sink();
        $this->assertInstanceOf(Database::class, $sink);
        $this->assertSame('sqlite', $sink->getDriver());

        $this->exercise();
    }

    public function testMariaDb(): void
    {
        foreach (['HOST', 'PORT', 'USER', 'PASSWORD', 'DATABASE'] as $var) {
            if (getenv("TALLY_TEST_MYSQL_$var") === false) {
                $this->markTestSkipped("no test MariaDB: TALLY_TEST_MYSQL_$var is unset (scripts/services start)");
            }
        }
        $this->mysqlTable = 'mc_' . bin2hex(random_bytes(4));
        $this->reboot([
            'database' => ['connections' => ['mariadb' => [
                'driver' => 'mariadb',
                'host' => getenv('TALLY_TEST_MYSQL_HOST'),
                'port' => (int) getenv('TALLY_TEST_MYSQL_PORT'),
                'username' => getenv('TALLY_TEST_MYSQL_USER'),
                'password' => getenv('TALLY_TEST_MYSQL_PASSWORD'),
                'database' => getenv('TALLY_TEST_MYSQL_DATABASE'),
                'charset' => 'utf8mb4',
                'collation' => 'utf8mb4_unicode_ci',
                'prefix' => '',
            ]]],
            'counter' => ['connection' => 'mariadb', 'table_name' => $this->mysqlTable],
        ]);
        $this->migrateWithOwners();
        $sink = $this->app->make(CounterManager::class)->sink();
        $this->assertInstanceOf(Database::class, $sink);
        $this->assertSame('mysql', $sink->getDriver());
        $this->assertSame($this->mysqlTable, $sink->getTable());

        $this->exercise();
    }

    /** Increment, sync, read back: the same story on each native database. */
    private function exercise(): void
    {
        Relation::morphMap(['user' => User::class]);
        $user = User::create();
        $doc = Document::create();
        $user->incrementCounter('downloads', 5);
        $user->incrementCounter('key:with{braces}', 2);
        $doc->incrementCounter('views', 7);

        [$code, $out] = $this->artisan('counter:sync', ['--batch-size' => 1]);
        $this->assertSame(0, $code, $out);
        $this->assertMatchesRegularExpression('/\|\s*3\s*\|\s*2\s*\|\s*2\s*\|/', $out);
        $this->assertSame([], $this->redisKeys());

        $rows = ModelCounter::query()->orderBy('key')->get()
            ->map(fn (ModelCounter $r): string => "$r->owner_type|$r->owner_id|$r->key=$r->count")->all();
        $this->assertEqualsCanonicalizing([
            "user|$user->id|downloads=5",
            "user|$user->id|key:with{braces}=2",
            Document::class . "|$doc->id|views=7",
        ], $rows);

        $user->incrementCounter('downloads', 1);
        $user->setCounter('key:with{braces}', 10);
        $this->assertSame(['downloads' => 6, 'key:with{braces}' => 10], $user->allCounters());
        $this->assertSame(7, $doc->counter('views'));

        $this->artisan('counter:sync');
        $this->assertSame(['downloads' => 6, 'key:with{braces}' => 10], $user->modelCounters()->orderBy('key')->pluck('count', 'key')->all());
        $this->assertSame(['downloads' => 6, 'key:with{braces}' => 10], $user->allCounters());
    }
}
