<?php

// Tally\Laravel\RateLimit and RateLimitResult: attempt, peek, reset, costs, headers, bad input.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Tally\Laravel\RateLimit;
use Tally\Laravel\RateLimitResult;
use Tally\Laravel\Tests\Fixtures\AssertsRejections;

final class RateLimitTest extends TestCase
{
    use AssertsRejections;

    public function testFixedWindowAttemptsPeekAndReset(): void
    {
        $seen = [];
        for ($i = 0; $i < 4; $i++) {
            $r = RateLimit::attempt('api:org:9', 3, 60);
            $seen[] = [$r->allowed, $r->remaining, $r->retryAfter > 0];
        }
        $this->assertSame([[true, 2, false], [true, 1, false], [true, 0, false], [false, 0, true]], $seen);
        $this->assertSame(3, $r->limit);
        $this->assertGreaterThanOrEqual(59, $r->reset);

        $peek = RateLimit::peek('api:org:9', 3, 60);
        $this->assertFalse($peek->allowed);
        $this->assertSame('3', $this->redis()->get($this->tallyPrefix() . '{}:rl:f:api:org:9'));

        $this->assertTrue(RateLimit::reset('api:org:9'));
        $this->assertFalse(RateLimit::reset('api:org:9'));
        $this->assertTrue(RateLimit::peek('api:org:9', 3, 60)->allowed);
        $this->assertSame([], $this->redisKeys());
    }

    public function testSlidingWindowWithCosts(): void
    {
        $this->assertSame(6, RateLimit::attempt('export:7', 10, 3600, true, 4)->remaining);
        $denied = RateLimit::attempt('export:7', 10, 3600, true, 7);
        $this->assertFalse($denied->allowed);
        $this->assertSame(6, $denied->remaining);
        $this->assertGreaterThan(3500, $denied->retryAfter);
        $this->assertTrue(RateLimit::attempt('export:7', 10, 3600, true, 6)->allowed);
        $this->assertSame(10, $this->redis()->zCard($this->tallyPrefix() . '{}:rl:s:export:7'));
    }

    public function testHeaders(): void
    {
        $allowed = new RateLimitResult(true, 60, 59, 60, 0);
        $this->assertSame(['X-RateLimit-Limit' => 60, 'X-RateLimit-Remaining' => 59], $allowed->headers());
        $denied = new RateLimitResult(false, 60, 0, 42, 42);
        $this->assertSame(
            ['X-RateLimit-Limit' => 60, 'X-RateLimit-Remaining' => 0, 'Retry-After' => 42, 'X-RateLimit-Reset' => 1700000042],
            $denied->headers(1700000000)
        );
        $this->assertEquals(
            $denied,
            RateLimitResult::fromArray(['allowed' => false, 'limit' => 60, 'remaining' => 0, 'reset' => 42, 'retry_after' => 42])
        );
    }

    public function testBadInputThrowsAndWritesNothing(): void
    {
        $this->assertEachRejected([
            'zero limit' => [fn () => RateLimit::attempt('k', 0, 60), 'limit must be between 1 and'],
            'negative window' => [fn () => RateLimit::attempt('k', 5, -60), 'window must be between 1 and 315360000 seconds, -60 given'],
            'cost over limit' => [fn () => RateLimit::attempt('k', 5, 60, false, 6), 'cost must be between 0'],
            'negative cost' => [fn () => RateLimit::attempt('k', 5, 60, true, -1), 'cost must be between 0'],
            'absurd sliding' => [fn () => RateLimit::attempt('k', 200000, 60, true), 'use a fixed window'],
            'empty key' => [fn () => RateLimit::attempt('', 5, 60), 'rate limit name must not be empty'],
            'empty reset' => [fn () => RateLimit::reset(''), 'rate limit name must not be empty'],
        ]);
        $this->assertSame([], $this->redisKeys());
    }
}
