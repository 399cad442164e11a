<?php

// Middleware `tally.hits`: counts each successful (2xx) GET response per route name, or per
// URL path ("/" + path) for unnamed routes, after the response is sent. Route names or paths
// matching counter.path_hits.exclude ($request->routeIs()/is() patterns) are never counted.
// Tracking never breaks a page: any failure (Redis down, a bad counter config, no extension)
// is reported through TrackingFailures, at most once a minute per process, whatever
// counter.fail_open says.

declare(strict_types=1);

namespace Tally\Laravel\Http\Middleware;

use Closure;
use Illuminate\Contracts\Container\Container;
use Illuminate\Http\Request;
use Illuminate\Routing\Route;
use Symfony\Component\HttpFoundation\Response;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Http\TrackingFailures;
use Tally\Laravel\PathHits;

final class TrackPathHits
{
    /** The container, not the counter service: resolving that may fail, and only inside terminate() may it. */
    public function __construct(private readonly Container $app)
    {
    }

    public function handle(Request $request, Closure $next): Response
    {
        return $next($request);
    }

    /** After the response went out: the count never delays a page. */
    public function terminate(Request $request, Response $response): void
    {
        $path = null;
        try {
            $counters = $this->app->make(CounterManager::class);
            $path = self::pathOf($request, $response, $counters->settings()->patterns->pathExclude);
            if ($path !== null) {
                PathHits::track($path);
            }
        } catch (\Throwable $e) {
            TrackingFailures::record(
                sprintf("counting the hit of '%s' (tally.hits)", $path ?? '/' . ltrim($request->path(), '/')),
                $e,
                static function (\Throwable $report): void {
                    try {
                        report($report);
                    } catch (\Throwable) {
                        // a failing log must not break the page either
                    }
                },
                hrtime(true) / 1e9
            );
        }
    }

    /**
     * What a request counts as: its route name, or "/" + its path; null when it is not
     * counted (not a GET, not 2xx, or excluded by name or by path).
     *
     * @param list<string> $exclude
     */
    public static function pathOf(Request $request, Response $response, array $exclude): ?string
    {
        if (!$request->isMethod('GET') || !$response->isSuccessful()) {
            return null;
        }
        // Laravel's own matching: $request->is('admin/*') on the path, routeIs() on the name.
        if ($exclude !== [] && ($request->is(...$exclude) || $request->routeIs(...$exclude))) {
            return null;
        }
        $route = $request->route();

        return ($route instanceof Route ? $route->getName() : null) ?? '/' . ltrim($request->path(), '/');
    }
}
