<?php

// The counters table of Counter::fake(), in memory: the Tally\Sink the fake engine syncs into
// and reads stored values from, and the gauge snapshots and row deletes CounterTable writes
// through Laravel's connection otherwise. No database connection is ever opened.

declare(strict_types=1);

namespace Tally\Laravel\Testing;

use Tally\DatabaseException;
use Tally\Laravel\Owner;
use Tally\RejectedException;
use Tally\Sink;

final class FakeDatabase implements Sink
{
    /** The lifetime counter's period_start, as in the real table. */
    public const LIFETIME_START = '1970-01-01';

    /**
     * @var array<string,array{owner_type:string,owner_id:string,key:string,period:string,period_start:string,count:int,sync_seq:int}>
     *      the rows, by their unique key
     */
    private array $rows = [];
    /** @var array<string,int> <table>_sync: the fence of each prefix */
    private array $fences = [];

    public function beginRun(string $name): int
    {
        $fence = ($this->fences === [] ? 0 : max($this->fences)) + 1;
        $this->fences[$name] = $fence;

        return $fence;
    }

    public function writeBatch(string $name, int $fence, array $rows): void
    {
        if (($this->fences[$name] ?? null) !== $fence) {
            throw new DatabaseException("the sync fence of '$name' is no longer $fence: a newer run took over");
        }
        $before = $this->rows;   // one transaction: all rows or none
        try {
            foreach ($rows as $r) {
                $this->add((string) $r[0], (string) $r[1], (string) $r[2], (string) $r['period'], (string) $r['period_start'], (int) $r[3], (int) $r[4]);
            }
        } catch (RejectedException $e) {
            $this->rows = $before;

            throw $e;
        }
    }

    public function read(string $ownerType, string $ownerId, ?array $keys, string $period = '', string $from = self::LIFETIME_START, string $to = self::LIFETIME_START): array
    {
        $wanted = $keys === null ? null : array_flip(array_map('strval', $keys));
        $out = [];
        foreach ($this->rows as $r) {
            if ($r['owner_type'] === $ownerType && $r['owner_id'] === $ownerId && $r['period'] === $period
                && $r['period_start'] >= $from && $r['period_start'] <= $to
                && ($wanted === null || isset($wanted[$r['key']]))) {
                $out[] = [$r['key'], $r['period_start'], $r['count'], $r['sync_seq']];
            }
        }

        return $out;
    }

    public function committed(string $ownerType, string $ownerId, int $seq): bool
    {
        foreach ($this->rows as $r) {
            if ($r['owner_type'] === $ownerType && $r['owner_id'] === $ownerId && $r['sync_seq'] === $seq) {
                return true;
            }
        }

        return false;
    }

    /** CounterTable::snapshot(): count = $value for the period, the last write wins. */
    public function snapshot(Owner $owner, string $key, string $period, string $periodStart, int $value): void
    {
        $row = self::id($owner->type, (string) $owner->id, $key, $period, $periodStart);
        $this->put($row, $owner->type, (string) $owner->id, $key, $period, $periodStart, $value, $this->rows[$row]['sync_seq'] ?? 0);
    }

    /**
     * CounterTable::setMany(): count = the row's count for each row, the last write wins.
     *
     * @param list<array{owner_type:string,owner_id:string,key:string,period:string,period_start:string,count:int}> $rows
     */
    public function setMany(array $rows, string $what): void
    {
        foreach ($rows as $r) {
            $this->snapshot(Owner::raw($r['owner_type'], $r['owner_id']), $r['key'], $r['period'], $r['period_start'], $r['count']);
        }
    }

    /**
     * CounterTable::stored(): the counts of $key's rows of $period starting on $starts.
     *
     * @param list<string> $starts
     * @return array<string,int>
     */
    public function stored(Owner $owner, string $key, string $period, array $starts): array
    {
        $out = [];
        foreach ($this->owned($owner, $key) as $r) {
            if ($r['period'] === $period && in_array($r['period_start'], $starts, true)) {
                $out[$r['period_start']] = $r['count'];
            }
        }

        return $out;
    }

    /** CounterTable::latest(): the count with the newest period start up to $upTo; 0 without one. */
    public function latest(Owner $owner, string $key, string $period, ?string $upTo): int
    {
        $best = null;
        foreach ($this->owned($owner, $key) as $r) {
            if ($r['period'] === $period && ($upTo === null || $r['period_start'] <= $upTo)
                && ($best === null || $r['period_start'] > $best['period_start'])) {
                $best = $r;
            }
        }

        return $best === null ? 0 : $best['count'];
    }

    /** CounterTable::delete(): the rows of $key with period $period (null: every row of the key); how many. */
    public function delete(Owner $owner, string $key, ?string $period): int
    {
        $deleted = 0;
        foreach ($this->owned($owner, $key) as $id => $r) {
            if ($period === null || $r['period'] === $period) {
                unset($this->rows[$id]);
                $deleted++;
            }
        }

        return $deleted;
    }

    /**
     * Every row, as the real table holds them, in a stable order.
     *
     * @return list<array{owner_type:string,owner_id:string,key:string,period:string,period_start:string,count:int,sync_seq:int}>
     */
    public function rows(): array
    {
        $rows = $this->rows;
        ksort($rows, SORT_STRING);

        return array_values($rows);
    }

    private function add(string $type, string $id, string $key, string $period, string $start, int $delta, int $seq): void
    {
        $row = self::id($type, $id, $key, $period, $start);
        $count = ($this->rows[$row]['count'] ?? 0) + $delta;
        if (!is_int($count)) {
            throw new RejectedException(sprintf("counter '%s' of %s #%s: %d + %d is out of range for BIGINT", $key, $type, $id, $this->rows[$row]['count'], $delta));
        }
        $this->put($row, $type, $id, $key, $period, $start, $count, $seq);
    }

    private function put(string $row, string $type, string $id, string $key, string $period, string $start, int $count, int $seq): void
    {
        $this->rows[$row] = ['owner_type' => $type, 'owner_id' => $id, 'key' => $key, 'period' => $period,
            'period_start' => $start, 'count' => $count, 'sync_seq' => $seq];
    }

    /** @return array<string,array{owner_type:string,owner_id:string,key:string,period:string,period_start:string,count:int,sync_seq:int}> */
    private function owned(Owner $owner, string $key): array
    {
        return array_filter($this->rows, static fn (array $r): bool => $r['owner_type'] === $owner->type
            && $r['owner_id'] === (string) $owner->id && $r['key'] === $key);
    }

    private static function id(string $type, string $id, string $key, string $period, string $start): string
    {
        return implode("\0", [strlen($type), $type, strlen($id), $id, strlen($key), $key, $period, $start]);
    }
}
