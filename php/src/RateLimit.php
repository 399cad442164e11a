<?php

// Rate limiting, atomic in Redis: the static API over Tally\Counter::rateLimit() (one Lua
// script per attempt, timed by the Redis server; a denied attempt consumes nothing).

declare(strict_types=1);

namespace Tally\Laravel;

use BackedEnum;
use Illuminate\Container\Container;

final class RateLimit
{
    private function __construct()
    {
    }

    /**
     * Takes $cost units of the limit $key ($limit per $window seconds) if they fit.
     * Fixed window (default): starts with the first admitted unit, ends $window seconds later.
     * Sliding window: exact; at no instant more than $limit units in the last $window seconds
     * ($limit at most 100000: one Redis sorted-set entry per unit).
     */
    public static function attempt(string|BackedEnum $key, int $limit, int $window, bool $sliding = false, int $cost = 1): RateLimitResult
    {
        return RateLimitResult::fromArray(self::engine()->rateLimit(CounterDefinition::keyName($key), $limit, $window, ['sliding' => $sliding, 'cost' => $cost]));
    }

    /** Whether one unit would pass now, and what remains; takes nothing. */
    public static function peek(string|BackedEnum $key, int $limit, int $window, bool $sliding = false): RateLimitResult
    {
        return self::attempt($key, $limit, $window, $sliding, 0);
    }

    /** Forgets the limit's state (fixed and sliding); whether it had any. */
    public static function reset(string|BackedEnum $key): bool
    {
        return self::engine()->resetRateLimit(CounterDefinition::keyName($key));
    }

    private static function engine(): \Tally\Counter|Testing\FakeEngine
    {
        return Container::getInstance()->make(CounterManager::class)->engine();
    }
}
