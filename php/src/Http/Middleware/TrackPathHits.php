<?php

// Middleware `tally.hits`: counts each successful (2xx) GET response per route name, or per
// URL path ("/" + path) for unnamed routes, after the response is sent. Route names or paths
// matching counter.path_hits.exclude ($request->routeIs()/is() patterns) are never counted.
// Redis failures follow counter.fail_open.

declare(strict_types=1);

namespace Tally\Laravel\Http\Middleware;

use Closure;
use Illuminate\Http\Request;
use Illuminate\Routing\Route;
use Symfony\Component\HttpFoundation\Response;
use Tally\Laravel\CounterManager;
use Tally\Laravel\PathHits;

final class TrackPathHits
{
    public function __construct(private readonly CounterManager $counters)
    {
    }

    public function handle(Request $request, Closure $next): Response
    {
        return $next($request);
    }

    /** After the response went out: the count never delays a page. */
    public function terminate(Request $request, Response $response): void
    {
        $path = self::pathOf($request, $response, $this->counters->settings()->patterns->pathExclude);
        if ($path !== null) {
            $this->counters->failable(fn () => PathHits::track($path));
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
