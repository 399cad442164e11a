<?php

// Where the extension keeps a pending counter in Redis, computed in PHP for the import's Lua
// script (src/core/tally_key.h is the codec; ImportModelCounterTest checks this against the
// extension's own reads): the owner's hash <prefix>{enc(type):enc(id)} and the field of the
// lifetime counter or of a period.

declare(strict_types=1);

namespace Tally\Laravel\Import;

use Tally\Laravel\Enums\Interval;

final class PendingField
{
    private const LETTERS = ['day' => 'd', 'week' => 'w', 'month' => 'm', 'quarter' => 'q', 'year' => 'y'];

    private function __construct()
    {
    }

    /** The owner's pending hash; type and id '' are the global owner. */
    public static function hash(string $prefix, string $type, string $id): string
    {
        return $prefix . '{' . self::escape($type) . ':' . self::escape($id) . '}';
    }

    /**
     * The field of $key's lifetime counter ($interval null) or of the period that starts on
     * $periodStart ('Y-m-d', the period's first day).
     */
    public static function field(string $key, ?Interval $interval = null, string $periodStart = ''): string
    {
        if ($interval === null) {
            return str_starts_with($key, "\0") ? "\0\0" . $key : $key;
        }

        return "\0" . self::LETTERS[$interval->value] . str_replace('-', '', $periodStart) . $key;
    }

    /** enc(): control bytes, DEL and  % { } : \ * ? [ ]  as %XX, every other byte as is. */
    private static function escape(string $part): string
    {
        return (string) preg_replace_callback(
            '/[\x00-\x1F\x7F%{}:\\\\*?\[\]]/',
            static fn (array $m): string => sprintf('%%%02X', ord($m[0])),
            $part
        );
    }
}
