<?php

// Ephemeral counters: plain Redis keys that are never synced (job progress, success/failure
// pairs, per-minute rate buckets), with the TTL set on the first increment in the same
// atomic step. The static API over the extension's incrementKey()/getKeys()/...

declare(strict_types=1);

namespace Tally\Laravel;

use BackedEnum;
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
    public static function increment(string|BackedEnum $key, int $amount = 1, int $ttl = 0): int
    {
        return self::manager()->engine()->incrementKey(self::name($key), $amount, $ttl);
    }

    /** Subtracts $amount and returns the new value; $ttl as for increment(). */
    public static function decrement(string|BackedEnum $key, int $amount = 1, int $ttl = 0): int
    {
        return self::manager()->engine()->decrementKey(self::name($key), $amount, $ttl);
    }

    /** The value; 0 when the key does not exist (or has expired). */
    public static function get(string|BackedEnum $key): int
    {
        return self::manager()->engine()->getKey(self::name($key));
    }

    /**
     * Several values in one round trip, in the order asked (0 when missing).
     *
     * @param list<string|BackedEnum> $keys
     * @return array<string,int>
     */
    public static function getMany(array $keys): array
    {
        return self::manager()->engine()->getKeys(self::names($keys));
    }

    /** Seconds until the key expires: -1 without expiry, -2 when missing. */
    public static function ttl(string|BackedEnum $key): int
    {
        return self::manager()->engine()->ttl(self::name($key));
    }

    /**
     * Deletes keys; returns how many existed.
     *
     * @param string|BackedEnum|list<string|BackedEnum> $keys
     */
    public static function forget(string|BackedEnum|array $keys): int
    {
        return self::manager()->engine()->deleteKeys(self::names(is_array($keys) ? $keys : [$keys]));
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
    public static function hit(string|BackedEnum $name, int $amount = 1): int
    {
        $name = self::name($name);
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
    public static function rate(string|BackedEnum $name, int $minutes = 5): int
    {
        $name = self::name($name);
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

    private static function name(string|BackedEnum $key): string
    {
        return CounterDefinition::keyName($key);
    }

    /**
     * @param array<array-key,mixed> $keys
     * @return list<mixed> the names of keys and enums; anything else as is, for the extension to refuse
     */
    private static function names(array $keys): array
    {
        return array_map(static fn (mixed $k): mixed => $k instanceof BackedEnum ? self::name($k) : $k, array_values($keys));
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
