<?php

// Registers tally/laravel: config, migration, the counter service, counter:sync,
// counter:cleanup, counter:failed and counter:prune, the tally.throttle / tally.hits
// middleware aliases, and the flush of buffered increments at the end of each request, job,
// and Octane request/task/tick.

declare(strict_types=1);

namespace Tally\Laravel;

use DateTimeInterface;
use Illuminate\Contracts\Container\Container;
use Illuminate\Contracts\Foundation\Application;
use Illuminate\Database\Eloquent\Collection as EloquentCollection;
use Illuminate\Queue\Events\JobExceptionOccurred;
use Illuminate\Queue\Events\JobProcessed;
use Illuminate\Support\ServiceProvider;
use Illuminate\Testing\ParallelTesting;
use Tally\Laravel\Console\CleanupCounters;
use Tally\Laravel\Console\FailedCounters;
use Tally\Laravel\Console\PruneCounters;
use Tally\Laravel\Console\SyncCounters;
use Tally\Laravel\Contracts\SyncInstrumenter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Http\Middleware\ThrottleRequests;
use Tally\Laravel\Http\Middleware\TrackPathHits;
use Tally\Laravel\Sync\SinkFactory;

final class TallyServiceProvider extends ServiceProvider
{
    private const ROOT = __DIR__ . '/../';

    /**
     * Octane's events after a request, a task and a tick (by name: Octane is optional). Each
     * carries the sandbox, the per-request clone of the application that resolved the
     * services: the base application never sees the counter service of a request.
     */
    public const OCTANE_TERMINATED = [
        'Laravel\Octane\Events\RequestTerminated',
        'Laravel\Octane\Events\TaskTerminated',
        'Laravel\Octane\Events\TickTerminated',
    ];

    public function register(): void
    {
        $this->mergeConfigFrom(self::ROOT . 'config/counter.php', 'counter');

        // Everything that counts resolves Settings first (the migration too), so this is where
        // a PHP without the extension learns what to install, not at `Class "Tally\..." not found`.
        $this->app->singleton(Settings::class, static function (Application $app): Settings {
            self::requireExtension();

            return Settings::fromConfig($app->make('config'), $app->runningUnitTests(), self::testToken($app));
        });
        $this->app->singleton(CounterManager::class, static fn (Application $app): CounterManager => new CounterManager(
            $app->make(Settings::class),
            new SinkFactory(
                $app->make('db'),
                $app->make(Settings::class),
                static fn () => $app->bound('db.transactions') ? $app->make('db.transactions') : null,
            ),
            static function (\Throwable $e): void {
                report($e);
            },
            new CounterTable($app->make('db'), $app->make(Settings::class)),
            new CounterEvents($app->make(Settings::class)->events->events ? $app->make('events') : null),
            static fn (): ?SyncInstrumenter => self::syncInstrumenter($app),
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
            $this->commands([SyncCounters::class, CleanupCounters::class, FailedCounters::class, PruneCounters::class]);
        }
        if ($this->app->bound('router')) {
            $router = $this->app->make('router');
            $router->aliasMiddleware('tally.throttle', ThrottleRequests::class);
            $router->aliasMiddleware('tally.hits', TrackPathHits::class);
        }
        $this->flushBufferedIncrements();
        $this->registerCollectionMacros();
    }

    /**
     * $products->loadCounters(['downloads'], ?Interval, $periodStart) on Eloquent collections:
     * exact values for the whole collection in one round trip and one query per owner type
     * (LoadedCounters), then $product->counter('downloads') without I/O.
     */
    private function registerCollectionMacros(): void
    {
        if (EloquentCollection::hasMacro('loadCounters')) {
            return;
        }
        EloquentCollection::macro('loadCounters', function (array $keys, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null) {
            /** @var EloquentCollection<int, \Illuminate\Database\Eloquent\Model> $this */
            LoadedCounters::load(\Illuminate\Container\Container::getInstance()->make(CounterManager::class), $this, $keys, $interval, $periodStart);

            return $this;
        });
    }

    /** @throws MissingExtensionException when the tally extension is not loaded in this PHP */
    public static function requireExtension(): void
    {
        if (!extension_loaded('tally')) {
            throw MissingExtensionException::forSapi(PHP_SAPI, (string) php_ini_loaded_file());
        }
    }

    /**
     * Buffered increments leave at the end of each request (after the response), of each
     * queued job, and of each Octane request, task and tick: a long-running worker would
     * otherwise hold them until buffer_limit or until it exits. What is flushed is the
     * counter service of the application that served the work (Octane's sandbox, when there
     * is one). A failure here is reported, never thrown: the response is gone, the job is done.
     */
    private function flushBufferedIncrements(): void
    {
        // Application::terminate() calls this through the container it terminates, so under
        // Octane (whose sandbox terminates) $app is the sandbox, not the base application.
        $this->app->terminating(static function (Application $app): void {
            self::flush($app);
        });
        $events = $this->app->make('events');
        $events->listen([JobProcessed::class, JobExceptionOccurred::class], function (): void {
            self::flush($this->app);
        });
        $events->listen(self::OCTANE_TERMINATED, function (object $event): void {
            $sandbox = $event->sandbox ?? null;
            self::flush($sandbox instanceof Container ? $sandbox : $this->app);
        });
    }

    private static function flush(Container $app): void
    {
        if (!$app->resolved(CounterManager::class)) {
            return;
        }
        try {
            $app->make(CounterManager::class)->flush();
        } catch (\Throwable $e) {
            report($e);
        }
    }

    /** The sync instrumenter bound in the container, else the one counter.sync_instrumenter names, else none. */
    private static function syncInstrumenter(Application $app): ?SyncInstrumenter
    {
        if ($app->bound(SyncInstrumenter::class)) {
            return $app->make(SyncInstrumenter::class);
        }
        $class = $app->make(Settings::class)->events->syncInstrumenter;

        return $class === null ? null : $app->make($class);
    }

    /** ParaTest's TEST_TOKEN (each parallel test process), as Laravel's ParallelTesting reads it. */
    private static function testToken(Application $app): string|int|false|null
    {
        if ($app->bound(ParallelTesting::class)) {
            return $app->make(ParallelTesting::class)->token();
        }

        return $_SERVER['TEST_TOKEN'] ?? false;
    }
}
