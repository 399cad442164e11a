<?php

// The ephemeral counters and rate limits of Counter::fake()'s engine (Tally\Counter's
// incrementKey/getKeys/ttl/ensureTtl and rateLimit/resetRateLimit), on Carbon's clock.

declare(strict_types=1);

namespace Tally\Laravel\Testing;

use Tally\InvalidArgumentException;
use Tally\OverflowException;

trait FakeEphemeral
{
    /** @var array<string,array{int,?float}> ephemeral keys: name => [value, expiry (Unix time) or null] */
    private array $keys = [];
    /** @var array<string,array{float,int}> fixed windows: name => [end, used] */
    private array $fixed = [];
    /** @var array<string,list<float>> sliding windows: name => admitted units' times */
    private array $sliding = [];

    // ---- ephemeral counters ------------------------------------------------------------

    public function incrementKey(string $key, mixed $amount = 1, int $ttl = 0): int
    {
        $amount = self::amount($amount);
        $this->checkEphemeral($key);
        self::checkTtl($ttl, 0);
        [$value, $expiry] = $this->live($key) ?? [0, null];
        $sum = $value + $amount;
        if (!is_int($sum)) {
            throw new OverflowException("incrementing ephemeral key '$key': ERR increment or decrement would overflow");
        }
        $this->keys[$key] = [$sum, $expiry ?? ($ttl > 0 ? self::now() + $ttl : null)];

        return $sum;
    }

    public function decrementKey(string $key, mixed $amount = 1, int $ttl = 0): int
    {
        $amount = self::amount($amount);
        if ($amount === PHP_INT_MIN) {
            throw new InvalidArgumentException("amount $amount cannot be negated");
        }

        return $this->incrementKey($key, -$amount, $ttl);
    }

    public function getKey(string $key): int
    {
        return $this->getKeys([$key])[$key];
    }

    /**
     * @param list<string> $keys
     * @return array<string,int>
     */
    public function getKeys(array $keys): array
    {
        $out = [];
        foreach ($this->names($keys, true) as $key) {
            $out[$key] = $this->live($key)[0] ?? 0;
        }

        return $out;
    }

    /** @param list<string> $keys */
    public function deleteKeys(array $keys): int
    {
        $deleted = 0;
        foreach (array_unique($this->names($keys, true)) as $key) {
            if ($this->live($key) !== null) {
                unset($this->keys[$key]);
                $deleted++;
            }
        }

        return $deleted;
    }

    public function ttl(string $key): int
    {
        $this->checkEphemeral($key);
        $live = $this->live($key);
        if ($live === null) {
            return -2;
        }

        return $live[1] === null ? -1 : (int) ceil($live[1] - self::now());
    }

    /**
     * @param array<string,mixed> $options
     * @return array<string,mixed>
     */
    public function ensureTtl(string $pattern, int $ttl, array $options = []): array
    {
        foreach ($options as $name => $value) {
            if ($name !== 'dry_run' && $name !== 'batch_size') {
                throw new InvalidArgumentException("unknown ensureTtl option '$name'; valid options are: dry_run, batch_size");
            }
        }
        if ($pattern === '') {
            throw new InvalidArgumentException("pattern must not be empty ('*' matches every ephemeral key)");
        }
        self::checkTtl($ttl, 1);
        $dry = (bool) ($options['dry_run'] ?? false);
        $found = [];
        foreach (array_keys($this->keys) as $key) {
            $key = (string) $key;
            if ($this->live($key) !== null && $this->keys[$key][1] === null && fnmatch($pattern, $key, FNM_NOESCAPE)) {
                $found[] = $key;
                if (!$dry) {
                    $this->keys[$key][1] = self::now() + $ttl;
                }
            }
        }

        return ['scanned' => count($this->keys), 'without_ttl' => count($found), 'ttl_set' => $dry ? 0 : count($found),
            'batches' => 1, 'keys' => array_slice($found, 0, 1000)];
    }

    // ---- rate limits -------------------------------------------------------------------

    /**
     * @param array<string,mixed> $options
     * @return array{allowed: bool, limit: int, remaining: int, reset: int, retry_after: int}
     */
    public function rateLimit(string $name, int $limit, int $window, array $options = []): array
    {
        foreach ($options as $option => $value) {
            if ($option !== 'sliding' && $option !== 'cost') {
                throw new InvalidArgumentException("unknown rate limit option '$option'; valid options are: sliding, cost");
            }
        }
        $sliding = (bool) ($options['sliding'] ?? false);
        $cost = $options['cost'] ?? 1;
        $max = $sliding ? 100000 : 1000000000000000;
        if ($sliding && $limit > $max) {
            throw new InvalidArgumentException("limit must be between 1 and $max for a sliding window (it keeps one entry per admitted unit), $limit given; use a fixed window for larger limits");
        }
        if ($limit < 1 || $limit > $max) {
            throw new InvalidArgumentException("limit must be between 1 and $max, $limit given");
        }
        if ($window < 1 || $window > self::TTL_MAX) {
            throw new InvalidArgumentException(sprintf('window must be between 1 and %d seconds, %d given', self::TTL_MAX, $window));
        }
        if (!is_int($cost)) {
            throw new InvalidArgumentException(sprintf("option 'cost' must be of type int, %s given", self::typeName($cost)));
        }
        if ($cost < 0 || $cost > $limit) {
            throw new InvalidArgumentException("cost must be between 0 (only look) and the limit $limit, $cost given");
        }
        $this->checkKey($name, $this->maxKeyLength, 'rate limit name');
        $now = self::now();

        return $sliding ? $this->slidingWindow($name, $limit, $window, $cost, $now) : $this->fixedWindow($name, $limit, $window, $cost, $now);
    }

    public function resetRateLimit(string $name): bool
    {
        $this->checkKey($name, $this->maxKeyLength, 'rate limit name');
        $had = isset($this->fixed[$name]) && $this->fixed[$name][0] > self::now() || ($this->sliding[$name] ?? []) !== [];
        unset($this->fixed[$name], $this->sliding[$name]);

        return $had;
    }

    private function checkEphemeral(string $key): void
    {
        $this->checkKey($key, $this->maxKeyLength, 'ephemeral key');
        if (strpbrk($key, '{}') !== false) {
            throw new InvalidArgumentException("ephemeral key must not contain '{' or '}' (they mark owner counters and Tally's own keys)");
        }
    }

    /** @return array{int,?float}|null the live ephemeral key, null when missing or expired */
    private function live(string $key): ?array
    {
        $entry = $this->keys[$key] ?? null;
        if ($entry !== null && $entry[1] !== null && $entry[1] <= self::now()) {
            unset($this->keys[$key]);

            return null;
        }

        return $entry;
    }

    /** @return array{allowed: bool, limit: int, remaining: int, reset: int, retry_after: int} */
    private function fixedWindow(string $name, int $limit, int $window, int $cost, float $now): array
    {
        [$end, $used] = $this->fixed[$name] ?? [0.0, 0];
        if ($end <= $now) {
            [$end, $used] = [0.0, 0];
        }
        $allowed = $used + max($cost, 1) <= $limit;
        if ($allowed && $cost > 0) {
            if ($used === 0) {
                $end = $now + $window;
            }
            $used += $cost;
            $this->fixed[$name] = [$end, $used];
        }
        $reset = $used === 0 ? 0 : (int) ceil($end - $now);

        return ['allowed' => $allowed, 'limit' => $limit, 'remaining' => $limit - $used, 'reset' => $reset, 'retry_after' => $allowed ? 0 : $reset];
    }

    /** @return array{allowed: bool, limit: int, remaining: int, reset: int, retry_after: int} */
    private function slidingWindow(string $name, int $limit, int $window, int $cost, float $now): array
    {
        $log = array_values(array_filter($this->sliding[$name] ?? [], static fn (float $t): bool => $t > $now - $window));
        $need = max($cost, 1);
        $allowed = count($log) + $need <= $limit;
        if ($allowed && $cost > 0) {
            for ($i = 0; $i < $cost; $i++) {
                $log[] = $now;
            }
        }
        $this->sliding[$name] = $log;
        $reset = $log === [] ? 0 : (int) ceil($log[0] + $window - $now);
        // Denied: the oldest units that must expire for $need to fit.
        $retry = $allowed ? 0 : (int) ceil($log[count($log) + $need - $limit - 1] + $window - $now);

        return ['allowed' => $allowed, 'limit' => $limit, 'remaining' => $limit - count($log), 'reset' => $reset, 'retry_after' => $retry];
    }

    private static function checkTtl(int $ttl, int $min): void
    {
        if ($ttl < $min || $ttl > self::TTL_MAX) {
            throw new InvalidArgumentException($min === 0
                ? sprintf('ttl must be between 0 (no expiry) and %d seconds, %d given', self::TTL_MAX, $ttl)
                : sprintf('ttl must be between 1 and %d seconds, %d given', self::TTL_MAX, $ttl));
        }
    }
}
