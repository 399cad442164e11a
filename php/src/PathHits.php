<?php

// Hits per path (route name or URL path), counted in Redis and synced to SQL by counter:sync
// like any counter: they are the counters of one reserved owner, (PathHits::OWNER_TYPE,
// PathHits::OWNER_ID), one counter per path, so they land in model_counters exactly once
// and reads are exact (SQL + pending + in flight).

declare(strict_types=1);

namespace Tally\Laravel;

use BackedEnum;
use Illuminate\Container\Container;
use Tally\InvalidArgumentException;

final class PathHits
{
    /** The owner type of the path counters in model_counters (a class name: no model has it). */
    public const OWNER_TYPE = self::class;
    public const OWNER_ID = 'global';
    /** The width of model_counters.key: longer paths are shortened (see key()). */
    public const MAX_PATH = 100;
    /** The longest topPaths() list. */
    public const MAX_TOP = 10000;

    private function __construct()
    {
    }

    /** Counts $hits hits of $path (a route name or a URL path). */
    public static function track(string|BackedEnum $path, int $hits = 1): void
    {
        if ($hits < 1) {
            throw new InvalidArgumentException("a path is hit at least once per call, $hits given");
        }
        $key = self::key($path);
        self::manager()->engine()->increment(self::OWNER_TYPE, self::OWNER_ID, $key, $hits);
    }

    /** Exact hits of $path: synced + pending + in flight. */
    public static function hits(string|BackedEnum $path): int
    {
        $manager = self::manager();

        return $manager->engine()->get($manager->sink(), self::OWNER_TYPE, self::OWNER_ID, self::key($path));
    }

    /**
     * The $n most hit paths with their exact hits, most hit first (ties by path): the paths
     * with hits not synced yet, read exactly, and SQL's best rows for the rest
     * (Tally\Counter::topKeys()), not every path ever tracked.
     *
     * @return array<string,int>
     */
    public static function topPaths(int $n = 10): array
    {
        if ($n < 1 || $n > self::MAX_TOP) {
            throw new InvalidArgumentException(sprintf('topPaths() returns 1 to %d paths, %d asked', self::MAX_TOP, $n));
        }
        $manager = self::manager();
        $top = $manager->engine()->topKeys($manager->sink(), self::OWNER_TYPE, self::OWNER_ID, $n);
        $paths = array_map('strval', array_keys($top));

        return array_combine($paths, array_values($top));
    }

    /**
     * The counter key of a path: the path itself, or for one longer than MAX_PATH bytes its
     * first 91 bytes, '~' and 8 hex digits of its SHA-1 (distinct paths stay distinct).
     */
    public static function key(string|BackedEnum $path): string
    {
        $path = CounterDefinition::keyName($path);
        if ($path === '') {
            throw new InvalidArgumentException('path must not be empty');
        }
        if (strlen($path) <= self::MAX_PATH) {
            return $path;
        }

        return substr($path, 0, self::MAX_PATH - 9) . '~' . substr(sha1($path), 0, 8);
    }

    private static function manager(): CounterManager
    {
        return Container::getInstance()->make(CounterManager::class);
    }
}
