<?php

// Registers tally/laravel: config, migration, the counter service, counter:sync and
// counter:cleanup, and the tally.throttle / tally.hits middleware aliases.

declare(strict_types=1);

namespace Tally\Laravel;

use Illuminate\Contracts\Foundation\Application;
use Illuminate\Queue\Events\JobExceptionOccurred;
use Illuminate\Queue\Events\JobProcessed;
use Illuminate\Support\ServiceProvider;
use Tally\Laravel\Console\CleanupCounters;
use Tally\Laravel\Console\FailedCounters;
use Tally\Laravel\Console\SyncCounters;
use Tally\Laravel\Http\Middleware\ThrottleRequests;
use Tally\Laravel\Http\Middleware\TrackPathHits;
use Tally\Laravel\Sync\SinkFactory;

final class TallyServiceProvider extends ServiceProvider
{
    private const ROOT = __DIR__ . '/../';

    public function register(): void
    {
        $this->mergeConfigFrom(self::ROOT . 'config/counter.php', 'counter');

        $this->app->singleton(Settings::class, fn (Application $app): Settings => Settings::fromConfig($app->make('config')));
        $this->app->singleton(CounterManager::class, fn (Application $app): CounterManager => new CounterManager(
            $app->make(Settings::class),
            new SinkFactory($app->make('db'), $app->make(Settings::class)),
            static function (\Throwable $e): void {
                report($e);
            },
        ));
    }

    public function boot(): void
    {
        $this->publishes([
            self::ROOT . 'config/counter.php' => $this->app->configPath('counter.php'),
        ], 'counter-config');

        $this->loadMigrationsFrom(self::ROOT . 'database/migrations');
        $this->publishesMigrations([
            self::ROOT . 'database/migrations' => $this->app->databasePath('migrations'),
        ], 'counter-migrations');

        if ($this->app->runningInConsole()) {
            $this->commands([SyncCounters::class, CleanupCounters::class, FailedCounters::class]);
        }
        if ($this->app->bound('router')) {
            $router = $this->app->make('router');
            $router->aliasMiddleware('tally.throttle', ThrottleRequests::class);
            $router->aliasMiddleware('tally.hits', TrackPathHits::class);
        }
        $this->flushBufferedIncrements();
    }

    /**
     * Buffered increments leave at the end of each request (after the response) and of each
     * queued job: a long-running worker would otherwise hold them until it exits. A failure
     * here is reported, never thrown: the response is gone and the job is done.
     */
    private function flushBufferedIncrements(): void
    {
        $flush = function (): void {
            if (!$this->app->resolved(CounterManager::class)) {
                return;
            }
            try {
                $this->app->make(CounterManager::class)->flush();
            } catch (\Tally\Exception $e) {
                report($e);
            }
        };
        $this->app->terminating($flush);
        $this->app->make('events')->listen([JobProcessed::class, JobExceptionOccurred::class], $flush);
    }
}
