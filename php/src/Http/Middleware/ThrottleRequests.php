<?php

// Route middleware `tally.throttle:limit,window[,fixed|sliding[,name]]`: a rate limit per
// user (its auth identifier) or, for guests, per IP; 429 with Retry-After and X-RateLimit-*
// when exceeded. Atomic in Redis (Tally\Laravel\RateLimit).

declare(strict_types=1);

namespace Tally\Laravel\Http\Middleware;

use Closure;
use Illuminate\Contracts\Auth\Authenticatable;
use Illuminate\Http\Exceptions\ThrottleRequestsException;
use Illuminate\Http\Request;
use Symfony\Component\HttpFoundation\Response;
use Tally\InvalidArgumentException;
use Tally\Laravel\CounterManager;
use Tally\Laravel\RateLimit;
use Tally\Laravel\RateLimitResult;

final class ThrottleRequests
{
    public function __construct(private readonly CounterManager $counters)
    {
    }

    /**
     * $name separates limits that share limit and window (default: one limit per
     * "limit/window/mode" for each user or IP, across the routes that use it).
     */
    public function handle(Request $request, Closure $next, string $limit, string $window, string $mode = 'fixed', ?string $name = null): Response
    {
        $max = self::positive('limit', $limit);
        $seconds = self::positive('window', $window);
        if ($mode !== 'fixed' && $mode !== 'sliding') {
            throw new InvalidArgumentException("tally.throttle mode must be 'fixed' or 'sliding', got '$mode'");
        }
        $key = self::key($request, $name ?? "$max/$seconds/$mode");

        $result = null;
        $this->counters->failable(function () use (&$result, $key, $max, $seconds, $mode): void {
            $result = RateLimit::attempt($key, $max, $seconds, $mode === 'sliding');
        });
        if ($result === null) {
            return $next($request);     // Redis unreachable and counter.fail_open: let it through
        }
        if (!$result->allowed) {
            throw new ThrottleRequestsException('Too Many Attempts.', null, $result->headers());
        }

        return self::withHeaders($next($request), $result);
    }

    /** "throttle:<name>:user:<id>" or "throttle:<name>:ip:<address>". */
    public static function key(Request $request, string $name): string
    {
        $user = $request->user();
        $who = $user instanceof Authenticatable ? 'user:' . $user->getAuthIdentifier() : 'ip:' . ($request->ip() ?? 'unknown');

        return "throttle:$name:$who";
    }

    private static function withHeaders(Response $response, RateLimitResult $result): Response
    {
        foreach ($result->headers() as $header => $value) {
            $response->headers->set($header, (string) $value);
        }

        return $response;
    }

    private static function positive(string $what, string $value): int
    {
        if (!ctype_digit($value) || (int) $value < 1) {
            throw new InvalidArgumentException("tally.throttle $what must be a positive integer, got '$value'");
        }

        return (int) $value;
    }
}
