<?php

// Statements on the counters table through Laravel's connection (counter.connection) that
// bypass Redis: gauge snapshots and unique estimates (written, not added), the latest snapshot,
// stored counts by period start, and deleting rows.

declare(strict_types=1);

namespace Tally\Laravel;

use Illuminate\Database\ConnectionInterface;
use Illuminate\Database\ConnectionResolverInterface;
use Illuminate\Database\Query\Builder;
use Illuminate\Support\Carbon;
use Tally\Laravel\Sync\Statements;

final class CounterTable
{
    public function __construct(
        private readonly ConnectionResolverInterface $db,
        private readonly Settings $settings,
    ) {
    }

    /**
     * Writes count = $value for the period (upsert on the unique key: the last write wins).
     * A new row gets sync_seq 0: no sync claim ever wrote it, so exact reads take it whole.
     */
    public function snapshot(Owner $owner, string $key, string $period, string $periodStart, int $value): void
    {
        $this->setMany([[
            'owner_type' => $owner->type,
            'owner_id' => (string) $owner->id,
            'key' => $key,
            'period' => $period,
            'period_start' => $periodStart,
            'count' => $value,
        ]], 'writing a gauge snapshot');
    }

    /**
     * Writes count = the row's count for each row (identity + count), in one upsert: the last
     * write wins (gauges, stored unique estimates).
     *
     * @param list<array{owner_type:string,owner_id:string,key:string,period:string,period_start:string,count:int}> $rows
     */
    public function setMany(array $rows, string $what): void
    {
        if ($rows === []) {
            return;
        }
        $connection = $this->connection();
        $now = Carbon::now()->format($connection->getQueryGrammar()->getDateFormat());
        $rows = array_map(static fn (array $r): array => $r + ['sync_seq' => 0, 'created_at' => $now, 'updated_at' => $now], $rows);
        $this->run($connection, $what, fn () => $connection->table($this->settings->table)->upsert(
            $rows,
            ['owner_type', 'owner_id', 'key', 'period', 'period_start'],
            ['count', 'updated_at']
        ));
    }

    /**
     * The stored counts of $key's rows of $period starting on the given days ('Y-m-d').
     *
     * @param list<string> $starts
     * @return array<string,int> period start => count (rows that exist)
     */
    public function stored(Owner $owner, string $key, string $period, array $starts): array
    {
        $connection = $this->connection();
        $out = [];
        foreach (array_chunk($starts, 500) as $chunk) {
            $rows = $this->run($connection, 'reading stored counts', fn () => $this->rows($connection, $owner, $key)
                ->where('period', $period)->whereIn('period_start', $chunk)->get(['period_start', 'count']));
            foreach ($rows as $row) {
                $out[substr((string) $row->period_start, 0, 10)] = (int) $row->count;
            }
        }

        return $out;
    }

    /** The count of the row with the newest period_start up to $upTo ('Y-m-d', null: any); 0 without one. */
    public function latest(Owner $owner, string $key, string $period, ?string $upTo): int
    {
        $connection = $this->connection();
        $query = $this->rows($connection, $owner, $key)->where('period', $period);
        if ($upTo !== null) {
            $query->where('period_start', '<=', $upTo);
        }
        $count = $this->run($connection, 'reading the latest snapshot', fn () => $query->orderByDesc('period_start')->value('count'));

        return $count === null ? 0 : (int) $count;
    }

    /** Deletes the rows of $key with period $period (null: every row of the key); how many. */
    public function delete(Owner $owner, string $key, ?string $period): int
    {
        $connection = $this->connection();
        $query = $this->rows($connection, $owner, $key);
        if ($period !== null) {
            $query->where('period', $period);
        }

        return (int) $this->run($connection, 'deleting counters', fn () => $query->delete());
    }

    private function rows(ConnectionInterface $connection, Owner $owner, string $key): Builder
    {
        return $connection->table($this->settings->table)
            ->where('owner_type', $owner->type)
            ->where('owner_id', (string) $owner->id)
            ->where('key', $key);
    }

    private function run(ConnectionInterface $connection, string $what, \Closure $query): mixed
    {
        return Statements::run($connection, $this->settings->table, $what, $query);
    }

    /** Looked up on every call, as SinkFactory does: DB::purge() hands out a new one. */
    private function connection(): ConnectionInterface
    {
        return $this->db->connection($this->settings->connection);
    }
}
