<?php

// The same counting story on every database a Laravel app may use: SQLite :memory: and
// PostgreSQL through Laravel's connection (ConnectionSink), file SQLite and MariaDB through
// the extension's native sink, built from the Laravel connection's config.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Database\Eloquent\Relations\Relation;
use PHPUnit\Framework\Attributes\DataProvider;
use Tally\Database;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Models\ModelCounter;
use Tally\Laravel\Sync\ConnectionSink;
use Tally\Laravel\Tests\Fixtures\Document;
use Tally\Laravel\Tests\Fixtures\Upload;
use Tally\Laravel\Tests\Fixtures\User;

final class DatabasesTest extends TestCase
{
    /** @return array<string,array{0:string,1:string,2:?string,3?:array<string,mixed>}> database, sink class, native driver, counter.* */
    public static function databases(): array
    {
        return [
            'sqlite :memory:' => ['sqlite', ConnectionSink::class, null],
            'sqlite file' => ['sqlite-file', Database::class, 'sqlite'],
            'mariadb' => ['mariadb', Database::class, 'mysql'],
            'mariadb, sink php' => ['mariadb', ConnectionSink::class, null, ['sink' => 'php']],
            'pgsql' => ['pgsql', ConnectionSink::class, null],
        ];
    }

    #[DataProvider('databases')]
    public function testIncrementSyncReadBackSetReset(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter]);
        $this->migrateWithOwners();
        $sink = $this->app->make(CounterManager::class)->sink();
        $this->assertInstanceOf($sinkClass, $sink);
        if ($sink instanceof Database) {
            $this->assertSame($driver, $sink->getDriver());
        }

        $this->exercise();
    }

    /** counter.connection and counter.table_name: counters in PostgreSQL, owners in SQLite. */
    public function testCountersOnAnotherConnectionAndTable(): void
    {
        $this->reboot([
            'database' => ['connections' => ['pgsql' => $this->serverConnection('pgsql')]],
            'counter' => ['connection' => 'pgsql', 'table_name' => 'counts'],
        ]);
        $pgsql = $this->app->make('db')->connection('pgsql');
        $this->migrateWithOwners();
        $this->assertTrue($pgsql->getSchemaBuilder()->hasTable('counts'));
        $this->assertTrue($pgsql->getSchemaBuilder()->hasTable('counts_sync'));
        $this->assertFalse($this->app->make('db')->connection()->getSchemaBuilder()->hasTable('counts'));

        $user = User::create();
        $user->incrementCounter('downloads', 4);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame(4, (int) $pgsql->table('counts')->where('owner_id', (string) $user->id)->value('count'));
        $this->assertSame(4, ModelCounter::query()->sole()->count);
        $this->assertTrue(ModelCounter::query()->sole()->owner->is($user));
        $user->incrementCounter('downloads');
        $this->assertSame(5, $user->counter('downloads'));

        [$code, $out] = $this->artisan('migrate:rollback', ['--force' => true]);
        $this->assertSame(0, $code, $out);
        $this->assertFalse($pgsql->getSchemaBuilder()->hasTable('counts'));
        $this->assertFalse($pgsql->getSchemaBuilder()->hasTable('counts_sync'));
    }

    #[DataProvider('databases')]
    public function testBinaryKeysWhereTheTableStoresBytesAndAClearErrorWhereItStoresText(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter]);
        $this->assertInstanceOf($sinkClass, $this->app->make(CounterManager::class)->sink());
        $this->migrateWithOwners();
        $user = User::create();
        if ($db !== 'pgsql') {
            $user->incrementCounter("bin\xff\x00key", 3);
            [$code, $out] = $this->artisan('counter:sync');
            $this->assertSame(0, $code, $out);
            $this->assertSame(["bin\xff\x00key" => 3], $user->allCounters());
            $this->assertSame("bin\xff\x00key", ModelCounter::query()->sole()->key);

            return;
        }
        // PostgreSQL would reject the row at sync time, and every later run at that batch.
        foreach (["bad\xff" => "\"bad\u{FFFD}\"", "nul\x00" => '"nul\\u0000"'] as $key => $shown) {
            try {
                $user->incrementCounter($key);
                $this->fail('accepted ' . bin2hex($key));
            } catch (\Tally\InvalidArgumentException $e) {
                $this->assertSame("counter key $shown is not UTF-8 text without NUL bytes, which the PostgreSQL table stores", $e->getMessage());
            }
        }
        $this->app->make('config')->set('counter.fail_open', true);
        $this->app->forgetInstance(\Tally\Laravel\Settings::class);
        $this->app->forgetInstance(CounterManager::class);
        $this->expectException(\Tally\InvalidArgumentException::class);
        try {
            $user->setCounter("bad\xff", 1);
        } finally {
            $this->assertSame([], $this->redisKeys());
            [$code, $out] = $this->artisan('counter:sync');
            $this->assertSame(0, $code, $out);
        }
    }

    /** Increment, sync, read back, set/reset: the same story on each database. */
    private function exercise(): void
    {
        Relation::morphMap(['user' => User::class]);
        $user = User::create();
        $doc = Document::create();
        $upload = Upload::create();
        $user->incrementCounter('downloads', 5);
        $user->incrementCounter('key:with{braces}', 2);
        $user->incrementCounter('café ☕', 3);
        $doc->incrementCounter('views', 7);
        $upload->decrementCounter('bytes', 9);

        [$code, $out] = $this->artisan('counter:sync', ['--batch-size' => 1]);
        $this->assertSame(0, $code, $out);
        $this->assertMatchesRegularExpression('/\|\s*5\s*\|\s*3\s*\|\s*3\s*\|\s*0\s*\|\s*0\s*\|\s*0\s*\|/', $out);
        $this->assertSame([], $this->redisKeys());

        $rows = ModelCounter::query()->get()
            ->map(fn (ModelCounter $r): string => "$r->owner_type|$r->owner_id|$r->key=$r->count")->all();
        $this->assertEqualsCanonicalizing([
            "user|$user->id|downloads=5",
            "user|$user->id|key:with{braces}=2",
            "user|$user->id|café ☕=3",
            Document::class . "|$doc->id|views=7",
            Upload::class . "|$upload->id|bytes=-9",
        ], $rows);
        $this->assertTrue(ModelCounter::query()->where('key', 'views')->sole()->owner->is($doc));
        $this->assertTrue(ModelCounter::query()->where('key', 'bytes')->sole()->owner->is($upload));

        $user->incrementCounter('downloads', 1);
        $user->setCounter('key:with{braces}', 10);
        $user->resetCounter('café ☕');
        $this->assertSame(['café ☕' => 0, 'downloads' => 6, 'key:with{braces}' => 10], $user->allCounters());
        $this->assertSame(['views' => 7, 'none' => 0], $doc->counters(['views', 'none']));
        $this->assertSame(-9, $upload->counter('bytes'));

        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $expected = ['café ☕' => 0, 'downloads' => 6, 'key:with{braces}' => 10];
        $this->assertEquals($expected, $user->modelCounters()->pluck('count', 'key')->all());
        $this->assertSame($expected, $user->allCounters());

        // The relation eager-loads on integer, UUID and ULID owners alike.
        $this->assertEquals($expected, User::with('modelCounters')->find($user->id)->modelCounters->pluck('count', 'key')->all());
        $this->assertSame([7], Document::with('modelCounters')->get()->flatMap->modelCounters->pluck('count')->all());
        $this->assertSame([-9], Upload::with('modelCounters')->get()->flatMap->modelCounters->pluck('count')->all());
        // owner_id is compared as a string: '0<id>' is another owner, also where keys are ints.
        ModelCounter::query()->create(['owner_type' => 'user', 'owner_id' => "0$user->id", 'key' => 'downloads', 'count' => 1]);
        $this->assertEquals($expected, $user->modelCounters()->pluck('count', 'key')->all());
        $this->assertEquals($expected, User::with('modelCounters')->find($user->id)->modelCounters->pluck('count', 'key')->all());
        ModelCounter::query()->where('owner_id', "0$user->id")->delete();

        $owners = ModelCounter::with('owner')->get()->map(fn (ModelCounter $r) => $r->owner::class . '#' . $r->owner->getKey())->unique()->sort()->values()->all();
        $this->assertSame([Document::class . "#$doc->id", Upload::class . "#$upload->id", User::class . "#$user->id"], $owners);
    }
}
