<?php

// The static counter API of the seed package (Rejoose\ModelCounter\Counter), over the extension.

declare(strict_types=1);

namespace Tally\Laravel;

use Illuminate\Container\Container;
use Illuminate\Database\Eloquent\Model;

final class Counter
{
    private function __construct()
    {
    }

    public static function increment(Model $model, string $key, int $amount = 1): void
    {
        self::manager()->increment($model, $key, $amount);
    }

    public static function decrement(Model $model, string $key, int $amount = 1): void
    {
        self::manager()->decrement($model, $key, $amount);
    }

    public static function get(Model $model, string $key): int
    {
        return self::manager()->get($model, $key);
    }

    /**
     * @param list<string> $keys
     * @return array<string,int> key => value (0 when none), in the order asked
     */
    public static function getMany(Model $model, array $keys): array
    {
        return self::manager()->getMany($model, $keys);
    }

    /** @return array<string,int> every counter of the model, synced or still pending, by key */
    public static function all(Model $model): array
    {
        return self::manager()->all($model);
    }

    public static function reset(Model $model, string $key): void
    {
        self::manager()->reset($model, $key);
    }

    public static function set(Model $model, string $key, int $value): void
    {
        self::manager()->set($model, $key, $value);
    }

    /** Sends the buffered increments now (counter.buffer); how many counters were incremented. */
    public static function flush(): int
    {
        return self::manager()->flush();
    }

    private static function manager(): CounterManager
    {
        return Container::getInstance()->make(CounterManager::class);
    }
}
