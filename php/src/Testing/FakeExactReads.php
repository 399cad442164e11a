<?php

// The exact reads of Counter::fake()'s engine: stored (the fake database) + pending + set
// aside, as the extension's get*, getForMany, top, history and sum answer them.

declare(strict_types=1);

namespace Tally\Laravel\Testing;

use DateTimeInterface;
use Illuminate\Support\Carbon;
use Tally\InvalidArgumentException;
use Tally\Laravel\Enums\Interval;
use Tally\OverflowException;
use Tally\Sink;

trait FakeExactReads
{
    public function get(Sink $database, string $ownerType, int|string $ownerId, string $key, ?string $period = null, DateTimeInterface|string|null $at = null): int
    {
        return $this->getMany($database, $ownerType, $ownerId, [$key], $period, $at)[$key];
    }

    /**
     * @param list<string> $keys
     * @return array<string,int>
     */
    public function getMany(Sink $database, string $ownerType, int|string $ownerId, array $keys, ?string $period = null, DateTimeInterface|string|null $at = null): array
    {
        [$period, $start] = self::readTarget($period, $at);
        $keys = $this->names($keys, false);
        $owner = $this->owner($ownerType, $ownerId);
        $stored = [];
        if ($keys !== []) {
            foreach ($database->read($ownerType, (string) $ownerId, $keys, $period, $start, $start) as [$k, , $count]) {
                $stored[(string) $k] = (int) $count;
            }
        }
        $out = [];
        foreach ($keys as $key) {
            $field = self::field($key, $period, $start);
            $held = ($this->pending[$owner][$field][3] ?? 0) + ($this->setAside[$owner][$field][3] ?? 0);
            $out[$key] = self::exact($key, $stored[$key] ?? 0, self::exact($key, $held, 0));
        }

        return $out;
    }

    /** @return array<string,int> */
    public function getAll(Sink $database, string $ownerType, int|string $ownerId): array
    {
        $owner = $this->owner($ownerType, $ownerId);
        $out = [];
        foreach ($database->read($ownerType, (string) $ownerId, null) as [$key, , $count]) {
            $out[(string) $key] = (int) $count;
        }
        foreach ($this->held($owner) as [$key, $period, , $delta]) {
            if ($period === '') {
                $out[$key] = self::exact($key, $out[$key] ?? 0, $delta);
            }
        }

        return $out;
    }

    /**
     * @param list<int|string> $ownerIds
     * @param list<string> $keys
     * @return array<int|string,array<string,int>> owner id => [key => value]
     */
    public function getForMany(Sink $database, string $ownerType, array $ownerIds, array $keys, ?string $period = null, DateTimeInterface|string|null $at = null): array
    {
        self::checkLimit(count($ownerIds) + count($keys) > 0 ? max(count($ownerIds), count($keys)) : 1, 'owners and keys');
        $out = [];
        foreach ($ownerIds as $id) {
            $out[$id] = $this->getMany($database, $ownerType, $id, $keys, $period, $at);
        }

        return $out;
    }

    /** @return array<int|string,int> owner id => exact value of $key, highest first, ties by id */
    public function top(FakeDatabase $database, string $ownerType, string $key, int $limit = 10, ?string $period = null, DateTimeInterface|string|null $at = null): array
    {
        self::checkLimit($limit, 'limit');
        [$p, $start] = self::readTarget($period, $at);
        $ids = [];
        foreach ($database->rows() as $r) {
            if ($r['owner_type'] === $ownerType && $r['key'] === $key && $r['period'] === $p && $r['period_start'] === $start) {
                $ids[$r['owner_id']] = true;
            }
        }
        foreach ($this->owners as $owner => [$type, $id]) {
            foreach ($type === $ownerType ? $this->held($owner) : [] as [$k, $kp, $ks]) {
                if ($k === $key && $kp === $p && $ks === $start) {
                    $ids[$id] = true;
                }
            }
        }
        $values = [];
        foreach (array_keys($ids) as $id) {
            $values[(string) $id] = $this->get($database, $ownerType, (string) $id, $key, $period, $at);
        }

        return self::best($values, $limit);
    }

    /** @return array<string,int> key => exact value, highest first, ties by key */
    public function topKeys(FakeDatabase $database, string $ownerType, int|string $ownerId, int $limit = 10, ?string $period = null, DateTimeInterface|string|null $at = null): array
    {
        self::checkLimit($limit, 'limit');
        [$p, $start] = self::readTarget($period, $at);
        $owner = $this->owner($ownerType, $ownerId);
        $keys = [];
        foreach ($database->read($ownerType, (string) $ownerId, null, $p, $start, $start) as [$k]) {
            $keys[(string) $k] = true;
        }
        foreach ($this->held($owner) as [$k, $kp, $ks]) {
            if ($kp === $p && $ks === $start) {
                $keys[$k] = true;
            }
        }
        $names = array_map('strval', array_keys($keys));

        return self::best($names === [] ? [] : $this->getMany($database, $ownerType, $ownerId, $names, $period, $at), $limit);
    }

    /** @return array<string,int> period start 'Y-m-d' => value, oldest first */
    public function history(Sink $database, string $ownerType, int|string $ownerId, string $key, string $period, int $periods = 12, DateTimeInterface|string|null $at = null): array
    {
        $interval = self::interval($period);
        $day = self::day($at, 'at');
        if ($periods < 1 || $periods > Interval::MAX_PERIODS) {
            throw new InvalidArgumentException(sprintf('periods must be 1 to %d, got %d', Interval::MAX_PERIODS, $periods));
        }
        $starts = array_reverse(array_map(
            static fn (Carbon $c): string => $c->format('Y-m-d'),
            $interval->previousPeriods($periods, Carbon::createFromFormat('!Y-m-d', $day, 'UTC'))
        ));
        $values = $this->periodValues($database, $ownerType, $ownerId, $key, $period, $starts[0], $starts[count($starts) - 1]);
        $out = [];
        foreach ($starts as $start) {
            $out[$start] = $values[$start] ?? 0;
        }

        return $out;
    }

    public function sum(Sink $database, string $ownerType, int|string $ownerId, string $key, string $period, DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): int
    {
        self::interval($period);
        $from = $from === null ? '1970-01-01' : self::day($from, 'from');
        $to = $to === null ? '9999-12-31' : self::day($to, 'to');
        if ($from > $to) {
            throw new InvalidArgumentException('from must not be after to');
        }
        $sum = 0;
        foreach ($this->periodValues($database, $ownerType, $ownerId, $key, $period, self::start($period, $from), self::start($period, $to)) as $value) {
            $sum = self::exact($key, $sum, $value);
        }

        return $sum;
    }

    /**
     * Stored + pending values of $key's periods with starts from $from to $to.
     *
     * @return array<string,int> start => value
     */
    private function periodValues(Sink $database, string $ownerType, int|string $ownerId, string $key, string $period, string $from, string $to): array
    {
        $this->checkKey($key, $this->maxKeyLength);
        $owner = $this->owner($ownerType, $ownerId);
        $values = [];
        foreach ($database->read($ownerType, (string) $ownerId, [$key], $period, $from, $to) as [, $start, $count]) {
            $values[(string) $start] = (int) $count;
        }
        foreach ($this->held($owner) as [$k, $p, $start, $delta]) {
            if ($k === $key && $p === $period && $start >= $from && $start <= $to) {
                $values[$start] = self::exact($key, $values[$start] ?? 0, $delta);
            }
        }
        ksort($values, SORT_STRING);

        return $values;
    }

    /**
     * @param array<array-key,int> $values
     * @return array<array-key,int> the $limit highest, ties by name (bytes)
     */
    private static function best(array $values, int $limit): array
    {
        $names = array_map('strval', array_keys($values));
        $counts = array_values($values);
        array_multisort($counts, SORT_DESC, SORT_NUMERIC, $names, SORT_ASC, SORT_STRING);

        return array_slice(array_combine($names, $counts), 0, $limit, true);
    }

    private static function exact(string $key, int $stored, int $pending): int
    {
        $sum = $stored + $pending;
        if (!is_int($sum)) {
            throw new OverflowException(sprintf("counter '%s': the stored value plus the pending deltas does not fit in 64 bits", substr($key, 0, 60)));
        }

        return $sum;
    }
}
