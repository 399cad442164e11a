<?php

// The package's upgrade migration on a counters table of the release before periods, on
// every database: counter:sync refuses the old table (pending counts stay in Redis), then
// `php artisan migrate` upgrades it in place and the sync writes every count exactly.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Database\Eloquent\Relations\Relation;
use PHPUnit\Framework\Attributes\DataProvider;
use Tally\Laravel\Models\ModelCounter;
use Tally\Laravel\Tests\Fixtures\OldSchema;
use Tally\Laravel\Tests\Fixtures\User;

final class UpgradeMigrationTest extends TestCase
{
    /** @return array<string,array{0:string,1:array<string,mixed>}> database, counter.* */
    public static function databases(): array
    {
        return [
            'sqlite :memory:, sink php' => ['sqlite', []],
            'sqlite file, native' => ['sqlite-file', []],
            'mariadb, native' => ['mariadb', []],
            'mariadb, sink php' => ['mariadb', ['sink' => 'php']],
            'pgsql, sink php' => ['pgsql', []],
        ];
    }

    #[DataProvider('databases')]
    public function testMigrateUpgradesAnOldTableWithoutLosingACount(string $db, array $counter): void
    {
        $this->useDatabase($db, ['counter' => $counter]);
        $connection = $this->app->make('db')->connection();
        $table = $connection->getTablePrefix() . 'model_counters';
        foreach (OldSchema::ddl($connection->getDriverName(), $table) as $statement) {
            $connection->statement($statement);
        }
        $connection->getSchemaBuilder()->create('users', function ($t): void {
            $t->id();
            $t->string('name')->default('');
        });
        Relation::morphMap(['user' => User::class]);
        $a = User::create();
        $b = User::create();
        $connection->table('model_counters')->insert([
            ['owner_type' => 'user', 'owner_id' => (string) $a->id, 'key' => 'downloads', 'count' => 10, 'sync_seq' => 7],
            ['owner_type' => 'user', 'owner_id' => (string) $b->id, 'key' => 'downloads', 'count' => 20, 'sync_seq' => 9],
        ]);
        $a->incrementCounter('downloads', 5);
        $b->incrementCounter('views', 2);

        [$code, $out] = $this->artisan('counter:sync');
        $this->assertNotSame(0, $code, $out);
        $this->assertStringContainsString('has the shape of an earlier Tally release (no period columns)', $out);
        $this->assertStringContainsString('php artisan migrate', $out);
        $this->assertSame(
            ["user|$a->id|downloads" => 10, "user|$b->id|downloads" => 20],
            $this->syncedRows()
        );
        $this->assertNotSame([], $this->redisKeys(), 'the pending counts stay in Redis');

        $this->migrate();
        $columns = $connection->getSchemaBuilder()->getColumnListing('model_counters');
        $this->assertContains('period', $columns);
        $this->assertContains('period_start', $columns);
        $this->assertSame(
            [[(string) $a->id, '', '1970-01-01', 10, 7], [(string) $b->id, '', '1970-01-01', 20, 9]],
            $connection->table('model_counters')->orderBy('id')->get()
                ->map(fn ($r): array => [(string) $r->owner_id, $r->period, substr((string) $r->period_start, 0, 10), (int) $r->count, (int) $r->sync_seq])
                ->all()
        );

        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame([], $this->redisKeys());
        $this->assertSame(
            ["user|$a->id|downloads" => 15, "user|$b->id|downloads" => 20, "user|$b->id|views" => 2],
            $this->syncedRows()
        );
        $this->assertSame(['downloads' => 15], $a->allCounters());
        $this->assertSame(['downloads' => 20, 'views' => 2], $b->allCounters());

        // Run again (rolled back and migrated anew): the table has the new shape, nothing changes.
        [$code, $out] = $this->artisan('migrate:rollback', ['--step' => 1, '--force' => true]);
        $this->assertSame(0, $code, $out);
        $this->migrate();
        $this->assertSame(3, ModelCounter::query()->count());
        $this->assertSame(['downloads' => 20, 'views' => 2], $b->allCounters());
    }
}
