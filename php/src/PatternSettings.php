<?php

// Settings of the seed patterns (progress, rate buckets, path hits, counter:cleanup), from
// the config array Settings::fromConfig() reads: checked once, at boot.

declare(strict_types=1);

namespace Tally\Laravel;

use Tally\InvalidArgumentException;

final class PatternSettings
{
    /** Longest TTL the extension accepts (its TALLY_TTL_MAX): ten years. */
    public const TTL_MAX = 315360000;
    /** A day of per-minute buckets: rate() reads them in one round trip. */
    public const RATE_MINUTES_MAX = 1440;

    /**
     * @param list<string> $pathExclude Str::is() patterns of route names or paths never counted
     * @param array<string,int> $cleanup ephemeral key pattern => TTL given when it has none
     */
    public function __construct(
        public readonly int $progressTtl = 7200,
        public readonly int $rateMinutes = 60,
        public readonly array $pathExclude = [],
        public readonly array $cleanup = [],
    ) {
    }

    /** @param array<string,mixed> $counter config('counter') */
    public static function fromArray(array $counter): self
    {
        $progressTtl = self::int($counter, 'progress_ttl', 7200, 1, self::TTL_MAX);
        $rateMinutes = self::int($counter, 'rate_minutes', 60, 1, self::RATE_MINUTES_MAX);

        $exclude = $counter['path_hits']['exclude'] ?? [];
        if (!is_array($exclude) || !array_is_list($exclude) || array_filter($exclude, fn ($p) => !is_string($p) || $p === '') !== []) {
            throw new InvalidArgumentException('counter.path_hits.exclude must be a list of non-empty route name or path patterns');
        }

        $cleanup = $counter['cleanup'] ?? [];
        if (!is_array($cleanup)) {
            throw new InvalidArgumentException('counter.cleanup must map key patterns to TTLs in seconds');
        }
        foreach ($cleanup as $pattern => $ttl) {
            if (!is_string($pattern) || $pattern === '' || !is_int($ttl) || $ttl < 1 || $ttl > self::TTL_MAX) {
                throw new InvalidArgumentException(sprintf(
                    "counter.cleanup must map key patterns to TTLs of 1 to %d seconds; '%s' => %s is not one",
                    self::TTL_MAX, (string) $pattern, var_export($ttl, true)
                ));
            }
        }

        return new self($progressTtl, $rateMinutes, $exclude, $cleanup);
    }

    /** @param array<string,mixed> $counter */
    private static function int(array $counter, string $key, int $default, int $min, int $max): int
    {
        $value = filter_var($counter[$key] ?? $default, FILTER_VALIDATE_INT);
        if ($value === false || $value < $min || $value > $max) {
            throw new InvalidArgumentException("counter.$key must be an integer from $min to $max");
        }

        return $value;
    }
}
