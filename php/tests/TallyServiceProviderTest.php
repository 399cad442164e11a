<?php

// Tally\Laravel\TallyServiceProvider: config defaults, publish tags, migration, command.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\ServiceProvider;
use Tally\Laravel\CounterManager;
use Tally\Laravel\TallyServiceProvider;

final class TallyServiceProviderTest extends TestCase
{
    public function testConfigDefaults(): void
    {
        $this->assertSame([
            'store' => 'default',
            'prefix' => 'counter:',
            'testing_prefix' => 'testing:',
            'sync_batch_size' => 1000,
            'table_name' => 'model_counters',
            'connection' => null,
            'sink' => 'auto',
            'fail_open' => false,
            'buffer' => null,
            'buffer_limit' => null,
            'connect_timeout' => 1.0,
            'read_timeout' => 1.0,
            'wait_replicas' => 0,
            'wait_timeout' => 0.5,
            'lock_ttl' => 60.0,
            'events' => false,
            'sync_instrumenter' => null,
            'timezone' => null,
            'periods' => [],
            'gauges' => [],
            'retention' => ['day' => 90, 'week' => 365, 'month' => null, 'quarter' => null, 'year' => null],
            'progress_ttl' => 7200,
            'rate_minutes' => 60,
            'path_hits' => ['exclude' => ['telescope*', 'horizon*', '_debugbar*', 'livewire*', 'up']],
            'cleanup' => ['progress:*' => 7200, 'rate:*' => 3660],
        ], $this->app->make('config')->get('counter'));
    }

    public function testPublishTags(): void
    {
        $config = ServiceProvider::pathsToPublish(TallyServiceProvider::class, 'counter-config');
        $this->assertSame(['counter.php'], array_map('basename', array_keys($config)));
        $this->assertSame($this->app->configPath('counter.php'), array_values($config)[0]);
        $this->assertFileExists(array_keys($config)[0]);

        $migrations = ServiceProvider::pathsToPublish(TallyServiceProvider::class, 'counter-migrations');
        $this->assertSame([$this->app->databasePath('migrations')], array_values($migrations));
    }

    public function testMigrationUsesTheExtensionsSchemaAndRollsBack(): void
    {
        $this->migrate();
        $schema = $this->app->make('db')->connection()->getSchemaBuilder();
        $this->assertTrue($schema->hasTable('model_counters'));
        $this->assertTrue($schema->hasTable('model_counters_sync'));
        $this->assertSame(
            ['id', 'owner_type', 'owner_id', 'key', 'period', 'period_start', 'count', 'sync_seq', 'created_at', 'updated_at'],
            $schema->getColumnListing('model_counters')
        );

        [$code, $out] = $this->artisan('migrate:rollback', ['--force' => true]);
        $this->assertSame(0, $code, $out);
        $this->assertFalse($schema->hasTable('model_counters'));
        $this->assertFalse($schema->hasTable('model_counters_sync'));
    }

    public function testCommandAndSingletonAreRegistered(): void
    {
        [$code, $out] = $this->artisan('help', ['command_name' => 'counter:sync']);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('Move pending counter deltas from Redis to the database, exactly once', $out);
        $this->assertStringContainsString('--batch-size', $out);
        $this->assertSame($this->app->make(CounterManager::class), $this->app->make(CounterManager::class));
    }

    public function testCleanupCommandAndMiddlewareAliasesAreRegistered(): void
    {
        [$code, $out] = $this->artisan('help', ['command_name' => 'counter:cleanup']);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('--dry-run', $out);
        $aliases = $this->app->make('router')->getMiddleware();
        $this->assertSame(\Tally\Laravel\Http\Middleware\ThrottleRequests::class, $aliases['tally.throttle']);
        $this->assertSame(\Tally\Laravel\Http\Middleware\TrackPathHits::class, $aliases['tally.hits']);
    }
}
