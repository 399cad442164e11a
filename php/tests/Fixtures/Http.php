<?php

// Sends requests through Laravel's real HTTP kernel (routing, route middleware, terminate)
// in a test application, optionally with Laravel's own exception handler rendering errors.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

use Illuminate\Contracts\Debug\ExceptionHandler;
use Illuminate\Contracts\Http\Kernel as HttpKernelContract;
use Illuminate\Foundation\Exceptions\Handler;
use Illuminate\Foundation\Http\Kernel;
use Illuminate\Foundation\Application;
use Illuminate\Http\Request;
use Illuminate\Routing\Router;
use Illuminate\View\ViewServiceProvider;
use Symfony\Component\HttpFoundation\Response;

final class Http
{
    public function __construct(private readonly Application $app)
    {
        $app->singleton(HttpKernelContract::class, Kernel::class);
    }

    public function router(): Router
    {
        return $this->app->make('router');
    }

    /** Renders exceptions as Laravel does (JSON for JSON requests), instead of rethrowing them. */
    public function withLaravelExceptionHandler(): self
    {
        // Its JSON responses come from response(), whose factory needs the view service.
        $this->app->make('config')->set('view', ['paths' => [], 'compiled' => sys_get_temp_dir()]);
        $this->app->register(ViewServiceProvider::class);
        $this->app->singleton(ExceptionHandler::class, Handler::class);

        return $this;
    }

    /** One request, terminate() included (terminable middleware run there). */
    public function send(string $method, string $uri, string $ip = '10.0.0.1', ?object $user = null, bool $json = false): Response
    {
        $server = ['REMOTE_ADDR' => $ip];
        if ($json) {
            $server['HTTP_ACCEPT'] = 'application/json';
        }
        $request = Request::create($uri, $method, [], [], [], $server);
        if ($user !== null) {
            $request->setUserResolver(fn () => $user);
        }
        $kernel = $this->app->make(HttpKernelContract::class);
        $response = $kernel->handle($request);
        $kernel->terminate($request, $response);

        return $response;
    }
}
