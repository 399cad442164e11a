<?php

// Counter::bulkSet(): many counters of many owners set to exact values, as set() does one.
// Every row is checked before anything is read or written.

declare(strict_types=1);

namespace Tally\Laravel;

use BackedEnum;
use DateTimeInterface;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\Relation;
use Illuminate\Support\Carbon;
use Tally\InvalidArgumentException;
use Tally\Laravel\Enums\Interval;

final class BulkSet
{
    private const FIELDS = ['owner', 'owner_type', 'owner_id', 'key', 'value', 'count', 'interval', 'period_start'];

    private function __construct()
    {
    }

    /**
     * Rows: ['owner' => ?Model] or rejoose/model-counter's ['owner_type' => ?string,
     * 'owner_id' => int|string|null] (both null: global), 'key' => string|BackedEnum,
     * 'value' (or the peer's 'count') => int, and optionally 'interval' => Interval|string|null
     * and 'period_start' => DateTimeInterface|'Y-m-d'|null (any day of the period; null: the
     * current one). A counter named twice takes its last row. Per owner and period: one exact
     * read (getMany) and one atomic write (incrementMany) of the differences.
     *
     * @param array<array-key,mixed> $rows
     * @return int the counters set (skipZero: rows of value 0 leave their counter untouched)
     */
    public static function apply(CounterManager $manager, array $rows, bool $skipZero): int
    {
        /** @var array<string,array{Owner,?string,?string,array<string,int>}> $groups owner+period => [owner, period, date, key => value] */
        $groups = [];
        foreach ($rows as $i => $row) {
            [$o, $key, $interval, $date, $value] = self::row($manager, $i, $row);
            $group = $o->type . "\0" . $o->id . "\0" . ($interval?->value ?? '') . "\0" . ($date ?? '');
            $groups[$group] ??= [$o, $interval?->value, $date, []];
            $groups[$group][3][$key] = $value;   // a counter named twice: the last row wins
        }
        $engine = $manager->engine();
        $sink = $manager->sink();
        $writes = [];
        $set = 0;
        foreach ($groups as [$o, $period, $date, $values]) {
            if ($skipZero) {
                $values = array_filter($values, static fn (int $v): bool => $v !== 0);
            }
            if ($values === []) {
                continue;
            }
            $set += count($values);
            $keys = array_map('strval', array_keys($values));
            $current = $engine->getMany($sink, $o->type, $o->id, $keys, $period, $date);
            $deltas = [];
            foreach ($keys as $key) {
                $delta = CounterManager::difference($key, $current[$key], $values[$key]);
                if ($delta !== 0) {
                    $deltas[$key] = $delta;
                }
            }
            if ($deltas !== []) {
                $writes[] = [$o, $deltas, $period === null ? [] : [$period], $date];
            }
        }
        // Every difference fits before the first is written.
        foreach ($writes as [$o, $deltas, $periods, $date]) {
            $engine->incrementMany($o->type, $o->id, $deltas, $periods, $date);
        }

        return $set;
    }

    /**
     * One row, checked: its owner, key, interval, period start 'Y-m-d' (null without an
     * interval) and value.
     *
     * @return array{Owner,string,?Interval,?string,int}
     */
    private static function row(CounterManager $manager, int|string $i, mixed $row): array
    {
        $where = "bulkSet() row $i";
        if (!is_array($row)) {
            throw new InvalidArgumentException(sprintf('%s must be an array, got %s', $where, get_debug_type($row)));
        }
        $unknown = array_diff(array_map('strval', array_keys($row)), self::FIELDS);
        if ($unknown !== []) {
            throw new InvalidArgumentException(sprintf("%s: unknown field '%s' (fields: %s)", $where, reset($unknown), implode(', ', self::FIELDS)));
        }
        $key = $row['key'] ?? null;
        if (!is_string($key) && !$key instanceof BackedEnum) {
            throw new InvalidArgumentException(sprintf('%s: key must be a string or a backed enum, got %s', $where, get_debug_type($key)));
        }
        [$model, $owner] = self::owner($where, $row);
        [$o, $key] = $manager->writable($model, $key, $owner);

        if (array_key_exists('value', $row) === array_key_exists('count', $row)) {
            throw new InvalidArgumentException("$where: give the counter's value as 'value' (or 'count'), once");
        }
        $value = $row['value'] ?? $row['count'];
        if (!is_int($value)) {
            throw new InvalidArgumentException(sprintf("%s: the value of counter '%s' must be an int, got %s", $where, $key, get_debug_type($value)));
        }

        $interval = $row['interval'] ?? null;
        if (is_string($interval)) {
            $interval = Interval::fromName($interval, $where);
        } elseif ($interval !== null && !$interval instanceof Interval) {
            throw new InvalidArgumentException(sprintf('%s: interval must be a %s, its name or null, got %s', $where, Interval::class, get_debug_type($interval)));
        }
        $start = $row['period_start'] ?? null;
        if ($start !== null && !is_string($start) && !$start instanceof DateTimeInterface) {
            throw new InvalidArgumentException(sprintf("%s: period_start must be a date 'Y-m-d', a DateTimeInterface or null, got %s", $where, get_debug_type($start)));
        }
        if ($interval === null) {
            if ($start !== null) {
                throw new InvalidArgumentException("$where: period_start is given without an interval (a lifetime counter has no period)");
            }

            return [$o, $key, null, null, $value];
        }
        $day = Clock::date($start, "$where period_start");
        $first = $interval->periodStart(Carbon::createFromFormat('!Y-m-d', $day, 'UTC'))->format('Y-m-d');

        return [$o, $key, $interval, $first, $value];
    }

    /**
     * The row's owner: its model (for declarations: gauges are refused) and the Owner
     * counted under, from 'owner' or from 'owner_type' + 'owner_id'.
     *
     * @param array<array-key,mixed> $row
     * @return array{?Model,?Owner}
     */
    private static function owner(string $where, array $row): array
    {
        if (array_key_exists('owner', $row)) {
            if (isset($row['owner_type']) || isset($row['owner_id'])) {
                throw new InvalidArgumentException("$where: give the owner as 'owner' or as 'owner_type' and 'owner_id', not both");
            }
            if ($row['owner'] !== null && !$row['owner'] instanceof Model) {
                throw new InvalidArgumentException(sprintf('%s: owner must be a model or null, got %s', $where, get_debug_type($row['owner'])));
            }

            return [$row['owner'], null];
        }
        $type = $row['owner_type'] ?? null;
        $id = $row['owner_id'] ?? null;
        if ($type === null && $id === null) {
            return [null, null];
        }
        if (!is_string($type) || $type === '' || (!is_int($id) && !is_string($id)) || $id === '') {
            throw new InvalidArgumentException(sprintf(
                '%s: owner_type must be a non-empty string and owner_id an int or a non-empty string (both null: a global counter), got %s and %s',
                $where,
                get_debug_type($type),
                get_debug_type($id)
            ));
        }
        // The model class, when the type names one, so that its own declarations apply.
        $class = Relation::getMorphedModel($type) ?? $type;
        $model = is_subclass_of($class, Model::class) ? new $class() : null;

        return [$model, Owner::raw($type, $id)];
    }
}
