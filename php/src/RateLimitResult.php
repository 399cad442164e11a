<?php

// A rate limit's verdict, and the HTTP headers that tell a client about it.

declare(strict_types=1);

namespace Tally\Laravel;

final class RateLimitResult
{
    public function __construct(
        public readonly bool $allowed,
        public readonly int $limit,
        /** Units left in the window after this attempt. */
        public readonly int $remaining,
        /** Seconds until capacity frees (fixed: the window's end; sliding: the oldest unit's exit); 0 when unused. */
        public readonly int $reset,
        /** Seconds until this attempt would pass; 0 when allowed. */
        public readonly int $retryAfter,
    ) {
    }

    /** @param array{allowed: bool, limit: int, remaining: int, reset: int, retry_after: int} $r Tally\Counter::rateLimit() */
    public static function fromArray(array $r): self
    {
        return new self($r['allowed'], $r['limit'], $r['remaining'], $r['reset'], $r['retry_after']);
    }

    /**
     * X-RateLimit-Limit and -Remaining; when denied also Retry-After (seconds) and
     * X-RateLimit-Reset (Unix time when the attempt would pass), as Laravel's throttle sends.
     *
     * @return array<string,int>
     */
    public function headers(?int $now = null): array
    {
        $headers = ['X-RateLimit-Limit' => $this->limit, 'X-RateLimit-Remaining' => $this->remaining];
        if (!$this->allowed) {
            $headers['Retry-After'] = $this->retryAfter;
            $headers['X-RateLimit-Reset'] = ($now ?? time()) + $this->retryAfter;
        }

        return $headers;
    }
}
