<?php

// Buffered increments under Octane: one worker, one booted application, a sandbox (clone)
// per request, task and tick; what each one counted is in Redis once it has terminated,
// not at buffer_limit or worker exit.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Container\Container;
use Illuminate\Contracts\Foundation\Application as ApplicationContract;
use Illuminate\Foundation\Application;
use Illuminate\Http\Request;
use Illuminate\Http\Response;
use Illuminate\Support\Facades\Facade;
use Laravel\Octane\Events\RequestTerminated;
use Laravel\Octane\Events\TaskTerminated;
use Laravel\Octane\Events\TickTerminated;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Tests\Fixtures\User;

require_once __DIR__ . '/Fixtures/octane-events.php';

final class OctaneFlushTest extends TestCase
{
    protected function config(): array
    {
        $config = parent::config();
        $config['counter'] = ['buffer' => true, 'buffer_limit' => 1000];

        return $config;
    }

    protected function tearDown(): void
    {
        // The buffer belongs to the process: leave nothing for the next test.
        Container::setInstance($this->app);
        if ($this->app->resolved(CounterManager::class)) {
            $this->app->make(CounterManager::class)->flush();
        }
        parent::tearDown();
    }

    /** What Octane's worker does for each request, task or tick: a clone of the booted app, made current. */
    private function sandbox(): Application
    {
        $sandbox = clone $this->app;
        $sandbox->instance('app', $sandbox);
        $sandbox->instance(Container::class, $sandbox);
        $sandbox->instance(ApplicationContract::class, $sandbox);
        Container::setInstance($sandbox);
        Facade::clearResolvedInstances();
        Facade::setFacadeApplication($sandbox);

        return $sandbox;
    }

    private function inRedis(User $user): int
    {
        $key = $this->tallyPrefix() . '{' . str_replace('\\', '%5C', User::class) . ':' . $user->getKey() . '}';

        return (int) $this->redis()->hGet($key, 'views');
    }

    public function testEachRequestTaskAndTickIsInRedisOnceItEnds(): void
    {
        $this->migrateWithOwners();
        $user = User::create();
        $this->assertFalse($this->app->resolved(CounterManager::class));

        $events = [
            'request 1' => fn (Application $s) => new RequestTerminated($this->app, $s, Request::create('/'), new Response('ok')),
            'request 2' => fn (Application $s) => new RequestTerminated($this->app, $s, Request::create('/'), new Response('ok')),
            'task' => fn (Application $s) => new TaskTerminated($this->app, $s, 'data', 'result'),
            'tick' => fn (Application $s) => new TickTerminated($this->app, $s),
            'request 3' => fn (Application $s) => new RequestTerminated($this->app, $s, Request::create('/'), new Response('ok')),
        ];
        $seen = [];
        foreach ($events as $what => $event) {
            $sandbox = $this->sandbox();
            $sandbox->make(CounterManager::class)->increment($user, 'views', 2);
            $user->incrementCounter('views');   // the trait goes through the current container too
            $before = $this->inRedis($user);
            $sandbox->make('events')->dispatch($event($sandbox));
            $seen[$what] = [$before, $this->inRedis($user)];
        }

        $this->assertSame([
            'request 1' => [0, 3],
            'request 2' => [3, 6],
            'task' => [6, 9],
            'tick' => [9, 12],
            'request 3' => [12, 15],
        ], $seen);
        $this->assertFalse($this->app->resolved(CounterManager::class));   // only sandboxes ever counted
    }

    public function testTerminatingTheSandboxFlushesTheSandboxsCounters(): void
    {
        // Octane's kernel terminate calls terminate() on the sandbox, not on the base app.
        $this->migrateWithOwners();
        $user = User::create();
        foreach ([1, 2] as $request) {
            $sandbox = $this->sandbox();
            $user->incrementCounter('views', 5);
            $this->assertSame(5 * ($request - 1), $this->inRedis($user));
            $sandbox->terminate();
            $this->assertSame(5 * $request, $this->inRedis($user));
        }
    }
}
