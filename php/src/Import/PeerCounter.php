<?php

// One counter as rejoose/model-counter stores it, read back: its pending Redis key
// (<type>:<id>:<key>[:<interval>:<periodKey>] after the prefixes, the type being the morph
// class lowercased with '\' as '.', 'global:0' for global counters) or its table row
// (interval + period_start), with the period as Tally keeps it: the first day of the
// period (weeks ISO, from Monday).

declare(strict_types=1);

namespace Tally\Laravel\Import;

use Carbon\Carbon;
use Tally\Laravel\Enums\Interval;

final class PeerCounter
{
    /** The owner segment and id of the peer's global counters. */
    public const GLOBAL_TYPE = 'global';
    public const GLOBAL_ID = '0';

    private function __construct(
        /** The owner type as the peer's key spells it (lowercased, '.' for '\'). */
        public readonly string $typeSegment,
        public readonly string $id,
        public readonly string $key,
        public readonly ?Interval $interval,
        /** 'Y-m-d', the first day of Tally's period; '' for the lifetime counter. */
        public readonly string $periodStart,
    ) {
    }

    /**
     * A key after the cache and counter prefixes, split as the peer's counter:sync splits it
     * (the last two parts are a period when the second last is an interval name); null when
     * it is not one of the peer's keys (too few parts, an empty part, a bad period key).
     */
    public static function fromKey(string $rest): ?self
    {
        $parts = explode(':', $rest);
        if (count($parts) < 3) {
            return null;
        }
        $interval = null;
        $start = '';
        if (count($parts) >= 5 && ($found = Interval::tryFrom($parts[count($parts) - 2])) !== null) {
            $start = self::startOfKey($found, (string) array_pop($parts));
            array_pop($parts);
            if ($start === null) {
                return null;
            }
            $interval = $found;
        }
        $key = (string) array_pop($parts);
        $id = (string) array_pop($parts);
        $type = implode(':', $parts);
        if ($key === '' || $id === '' || $type === '') {
            return null;
        }

        return new self($type, $id, $key, $interval, $start);
    }

    public function isGlobal(): bool
    {
        return $this->typeSegment === self::GLOBAL_TYPE && $this->id === self::GLOBAL_ID;
    }

    /**
     * The first day of Tally's period for a row's period_start. A week row is taken to the
     * ISO week that holds most of its days (the one of period_start + 3 days): the same
     * Monday when the peer's weeks start on Monday (Carbon's default), the overlapping ISO
     * week when its locale starts them on Sunday or Saturday.
     */
    public static function startOfRow(Interval $interval, string $periodStart): ?string
    {
        $date = self::date('Y-m-d', substr($periodStart, 0, 10));
        if ($date === null) {
            return null;
        }
        if ($interval === Interval::Week) {
            $date->addDays(3);
        }

        return $interval->periodStart($date)->format('Y-m-d');
    }

    /** The first day of the period a period key names: 'Y-m-d', ISO 'o-W', 'Y-m', 'Y-Qn', 'Y'. */
    private static function startOfKey(Interval $interval, string $periodKey): ?string
    {
        $date = match ($interval) {
            Interval::Day => self::date('Y-m-d', $periodKey),
            Interval::Week => preg_match('/^(\d{4})-(\d{2})$/', $periodKey, $m) === 1 && (int) $m[2] >= 1
                && (int) $m[2] <= (int) Carbon::create((int) $m[1], 12, 28, 0, 0, 0, 'UTC')->format('W')
                ? Carbon::create((int) $m[1], 1, 4, 0, 0, 0, 'UTC')->setISODate((int) $m[1], (int) $m[2])
                : null,
            Interval::Month => self::date('Y-m-d', $periodKey . '-01'),
            Interval::Quarter => preg_match('/^(\d{4})-Q([1-4])$/', $periodKey, $m) === 1
                ? Carbon::create((int) $m[1], 3 * (int) $m[2] - 2, 1, 0, 0, 0, 'UTC')
                : null,
            Interval::Year => preg_match('/^\d{4}$/', $periodKey) === 1 ? self::date('Y-m-d', $periodKey . '-01-01') : null,
        };

        return $date === null ? null : $interval->periodStart($date)->format('Y-m-d');
    }

    /** A strictly valid date of $format (no overflow such as 2026-02-30), or null. */
    private static function date(string $format, string $value): ?Carbon
    {
        $date = \DateTimeImmutable::createFromFormat('!' . $format, $value, new \DateTimeZone('UTC'));
        if ($date === false || $date->format($format) !== $value) {
            return null;
        }

        return Carbon::instance($date);
    }
}
