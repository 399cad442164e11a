<?php

// Counts the commands a piece of code sends to Redis, from INFO commandstats: a read that is
// one round trip is exactly one EVALSHA (the script's own GETs run inside it).

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

final class CommandCalls
{
    /**
     * Calls of each command made while $fn ran (INFO itself excluded), e.g. ['evalsha' => 1].
     *
     * @return array<string,int>
     */
    public static function during(\Redis $redis, callable $fn): array
    {
        $before = self::calls($redis->info('commandstats'));
        $fn();
        $after = self::calls($redis->info('commandstats'));
        $delta = [];
        foreach ($after as $command => $n) {
            if ($command !== 'info' && $n !== ($before[$command] ?? 0)) {
                $delta[$command] = $n - ($before[$command] ?? 0);
            }
        }
        ksort($delta);

        return $delta;
    }

    /** @param array<string,string> $stats @return array<string,int> */
    private static function calls(array $stats): array
    {
        $calls = [];
        foreach ($stats as $key => $value) {
            if (str_starts_with($key, 'cmdstat_') && preg_match('/calls=(\d+)/', $value, $m)) {
                $calls[substr($key, 8)] = (int) $m[1];
            }
        }

        return $calls;
    }
}
