<?php

// Ephemeral counters: plain Redis keys that are never synced (job progress, success/failure
// pairs, per-minute rate buckets), with the TTL set on the first increment in the same
// atomic step. The static API over the extension's incrementKey()/getKeys()/...

declare(strict_types=1);

namespace Tally\Laravel;

use Illuminate\Container\Container;
use Illuminate\Support\Carbon;
use Tally\InvalidArgumentException;

final class Ephemeral
{
    private function __construct()
    {
    }

    /**
     * Adds $amount and returns the new value. With $ttl > 0 the key expires $ttl seconds after
     * its first increment (set atomically with it; later increments never extend it).
     */
    public static function increment(string $key, int $amount = 1, int $ttl = 0): int
    {
        return self::manager()->engine()->incrementKey($key, $amount, $ttl);
    }

    /** Subtracts $amount and returns the new value; $ttl as for increment(). */
    public static function decrement(string $key, int $amount = 1, int $ttl = 0): int
    {
        return self::manager()->engine()->decrementKey($key, $amount, $ttl);
    }

    /** The value; 0 when the key does not exist (or has expired). */
    public static function get(string $key): int
    {
        return self::manager()->engine()->getKey($key);
    }

    /**
     * Several values in one round trip, in the order asked (0 when missing).
     *
     * @param list<string> $keys
     * @return array<string,int>
     */
    public static function getMany(array $keys): array
    {
        return self::manager()->engine()->getKeys(array_values($keys));
    }

    /** Seconds until the key expires: -1 without expiry, -2 when missing. */
    public static function ttl(string $key): int
    {
        return self::manager()->engine()->ttl($key);
    }

    /**
     * Deletes keys; returns how many existed.
     *
     * @param string|list<string> $keys
     */
    public static function forget(string|array $keys): int
    {
        return self::manager()->engine()->deleteKeys(array_values((array) $keys));
    }

    /** The progress counters of a batch (total, completed, failed), read in one round trip. */
    public static function progress(string $batchId, ?int $ttl = null): Progress
    {
        $manager = self::manager();

        return new Progress($manager->engine(), $batchId, $ttl ?? $manager->settings()->patterns->progressTtl);
    }

    /**
     * Counts $amount events of $name in the current minute's bucket ("rate:<name>:<UTC minute>"),
     * kept counter.rate_minutes (+1) minutes. Returns the bucket's new value.
     */
    public static function hit(string $name, int $amount = 1): int
    {
        self::checkName($name);
        if ($amount < 1) {
            throw new InvalidArgumentException("a rate counter counts at least 1 event per hit, $amount given");
        }
        $minutes = self::manager()->settings()->patterns->rateMinutes;

        return self::manager()->engine()->incrementKey(self::bucket($name, Carbon::now()->getTimestamp()), $amount, ($minutes + 1) * 60);
    }

    /**
     * Events of $name over the last $minutes minutes, the current one included: one round
     * trip over the per-minute buckets. At most counter.rate_minutes (older buckets are gone).
     */
    public static function rate(string $name, int $minutes = 5): int
    {
        self::checkName($name);
        $kept = self::manager()->settings()->patterns->rateMinutes;
        if ($minutes < 1 || $minutes > $kept) {
            throw new InvalidArgumentException(
                "rate() reads 1 to $kept minutes (buckets are kept counter.rate_minutes = $kept minutes), $minutes asked"
            );
        }
        $now = Carbon::now()->getTimestamp();
        $keys = [];
        for ($m = 0; $m < $minutes; $m++) {
            $keys[] = self::bucket($name, $now - 60 * $m);
        }

        return array_sum(self::manager()->engine()->getKeys($keys));
    }

    /** The bucket of the UTC minute holding $timestamp. */
    public static function bucket(string $name, int $timestamp): string
    {
        return 'rate:' . $name . ':' . gmdate('Y-m-d-H-i', $timestamp);
    }

    private static function checkName(string $name): void
    {
        if ($name === '') {
            throw new InvalidArgumentException('rate counter name must not be empty');
        }
    }

    private static function manager(): CounterManager
    {
        return Container::getInstance()->make(CounterManager::class);
    }
}
