<?php

// Statements on the counters table through Laravel's connection (counter.connection) that
// bypass Redis: gauge snapshots (written, not added), the latest snapshot, and deleting rows.

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
        $connection = $this->connection();
        $now = Carbon::now()->format($connection->getQueryGrammar()->getDateFormat());
        $this->run($connection, 'writing a gauge snapshot', fn () => $connection->table($this->settings->table)->upsert(
            [[
                'owner_type' => $owner->type,
                'owner_id' => (string) $owner->id,
                'key' => $key,
                'period' => $period,
                'period_start' => $periodStart,
                'count' => $value,
                'sync_seq' => 0,
                'created_at' => $now,
                'updated_at' => $now,
            ]],
            ['owner_type', 'owner_id', 'key', 'period', 'period_start'],
            ['count', 'updated_at']
        ));
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
