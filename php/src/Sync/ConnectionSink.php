<?php

// Tally\NarrowingSink over a Laravel database connection, for databases the extension does
// not speak natively (PostgreSQL, SQLite ':memory:' under RefreshDatabase, ...).

declare(strict_types=1);

namespace Tally\Laravel\Sync;

use Closure;
use Illuminate\Database\ConnectionInterface;
use Illuminate\Support\Carbon;
use Tally\BulkReadSink;
use Tally\DatabaseException;
use Tally\NarrowingSink;
use Throwable;

final class ConnectionSink implements NarrowingSink, BulkReadSink
{
    /** Rows per INSERT: 9 bound values each stays under SQLite's oldest variable limit (999). */
    private const ROWS_PER_STATEMENT = 100;

    /** The table was seen with the period columns (tables are never downgraded). */
    private bool $shapeChecked = false;

    public function __construct(
        private readonly ConnectionInterface $connection,
        private readonly string $table = 'model_counters',
        /**
         * Transactions a test opened around itself (RefreshDatabase, DatabaseTransactions)
         * that a run may start inside: SinkFactory allows them only while counters use the
         * testing prefix, so what the rollback at the end of the test loses is the test's own.
         */
        private readonly int $testTransactions = 0,
    ) {
    }

    public function getTable(): string
    {
        return $this->table;
    }

    /**
     * Called by the sync before it claims anything: inside an open transaction its batches
     * would commit only savepoints, the claims would be released, and a rollback of the
     * outer transaction would lose the deltas. So a run refuses to start there.
     */
    public function beginRun(string $name): int
    {
        $level = $this->connection->transactionLevel();
        if ($level > $this->testTransactions) {
            throw new DatabaseException(sprintf(
                "counter sync refused: connection '%s' is inside a database transaction (level %d); "
                . 'its batches would commit only with that transaction and be lost if it rolled back. '
                . 'Run counter:sync outside DB::transaction()%s',
                $this->connection->getName(),
                $level,
                $this->testTransactions === 0 && $level === 1
                    ? ' (in a test with RefreshDatabase or DatabaseTransactions, keep counter.testing_prefix on)'
                    : ''
            ));
        }

        $this->checkShape();

        // The new fence is above every prefix's, not only $name's: a claim's seq then names it
        // in the whole table (tally_sync.h). Every fence row is locked (PostgreSQL: the table,
        // so that a new prefix's row cannot slip in), so runs take fences one after the other.
        return (int) $this->checked('taking the sync fence', fn () => $this->connection->transaction(function () use ($name): int {
            $table = $this->connection->table($this->syncTable());
            if ($this->connection->getDriverName() === 'pgsql') {
                $this->connection->statement(sprintf('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', $this->connection->getQueryGrammar()->wrapTable($this->syncTable())));
            }
            $fences = (clone $table)->lockForUpdate()->pluck('fence', 'name');
            $fence = (int) $fences->max() + 1;
            $now = $this->now();
            if (!$fences->has($name)) {
                (clone $table)->insert(['name' => $name, 'fence' => $fence, 'updated_at' => $now]);
            } else {
                (clone $table)->where('name', $name)->update(['fence' => $fence, 'updated_at' => $now]);
            }

            return $fence;
        }));
    }

    /**
     * A table of an earlier release (no period columns) is refused before anything is
     * claimed, as by the native sinks: its upserts would fail every batch. Asked once per
     * sink; a missing table is left to the statements that follow (their error says so).
     */
    private function checkShape(): void
    {
        if ($this->shapeChecked) {
            return;
        }
        $columns = $this->checked('reading the table\'s columns', fn () => $this->connection->getSchemaBuilder()->getColumnListing($this->table));
        if ($columns === []) {
            return;
        }
        $has = array_intersect(['period', 'period_start'], array_map('strtolower', $columns));
        if ($has === []) {
            throw new DatabaseException(sprintf(
                "%s connection '%s': the counters table %s has the shape of an earlier Tally release (no period columns); "
                . 'upgrade it with `php artisan migrate` (Laravel) or Tally\\Database::createTables(): '
                . 'nothing was synced, pending counts stay in Redis',
                $this->connection->getDriverName(),
                $this->connection->getName(),
                $this->table
            ));
        }
        if (count($has) === 1) {
            throw new DatabaseException(sprintf(
                "%s connection '%s': the counters table %s has only one of the columns period and period_start: "
                . "neither Tally's current shape nor an earlier release's; fix it by hand (see Tally\\Database::schema())",
                $this->connection->getDriverName(),
                $this->connection->getName(),
                $this->table
            ));
        }
        $this->shapeChecked = true;
    }

    public function writeBatch(string $name, int $fence, array $rows): void
    {
        $this->batch($name, $fence, $rows, true);
    }

    /** writeBatch() rolled back: whether the database accepts these rows. */
    public function tryBatch(string $name, int $fence, array $rows): void
    {
        $this->batch($name, $fence, $rows, false);
    }

    /**
     * The one code path of writeBatch() and tryBatch(), so that what a try accepts is what
     * the write commits. A statement the database refuses for a row's data is a
     * Tally\RejectedException (see Statements::run()): the sync then narrows the batch with
     * tryBatch() and sets the rejected rows aside instead of failing on every run.
     */
    private function batch(string $name, int $fence, array $rows, bool $commit): void
    {
        $this->checked('writing a batch', function () use ($name, $fence, $rows, $commit): void {
            $this->connection->beginTransaction();
            try {
                // The fence first, under lock: a run that a newer one replaced must not commit.
                $current = $this->fence($name);
                if ($current !== $fence) {
                    throw new DatabaseException(sprintf(
                        'sync run for %s was superseded: fence is %s, this run holds %d',
                        $name,
                        $current === null ? 'missing' : (string) $current,
                        $fence
                    ));
                }
                foreach (array_chunk($rows, self::ROWS_PER_STATEMENT) as $chunk) {
                    $this->upsert($chunk);
                }
            } catch (Throwable $e) {
                $this->connection->rollBack();
                throw $e;
            }
            $commit ? $this->connection->commit() : $this->connection->rollBack();
        }, true);
    }

    public function read(
        string $ownerType,
        string $ownerId,
        ?array $keys,
        string $period = '',
        string $from = '1970-01-01',
        string $to = '1970-01-01',
    ): array {
        if ($keys === []) {
            return [];
        }
        $query = $this->connection->table($this->table)
            ->where('owner_type', $ownerType)
            ->where('owner_id', $ownerId)
            ->where('period', $period)
            ->whereBetween('period_start', [$from, $to]);
        if ($keys !== null) {
            $query->whereIn('key', array_values($keys));
        }
        $out = [];
        foreach ($this->checked('reading counters', fn () => $query->get(['key', 'period_start', 'count', 'sync_seq'])) as $row) {
            $out[] = [(string) $row->key, substr((string) $row->period_start, 0, 10), (int) $row->count, (int) $row->sync_seq];
        }

        return $out;
    }

    /**
     * read() for many owners in one query (Counter::getForMany(), loadCounters()).
     *
     * @param list<string> $ownerIds
     * @param list<string>|null $keys
     * @return list<array{string,string,string,int,int}>
     */
    public function readMany(
        string $ownerType,
        array $ownerIds,
        ?array $keys,
        string $period = '',
        string $from = '1970-01-01',
        string $to = '1970-01-01',
    ): array {
        if ($keys === [] || $ownerIds === []) {
            return [];
        }
        $query = $this->connection->table($this->table)
            ->where('owner_type', $ownerType)
            ->whereIn('owner_id', array_values($ownerIds))
            ->where('period', $period)
            ->whereBetween('period_start', [$from, $to]);
        if ($keys !== null) {
            $query->whereIn('key', array_values($keys));
        }
        $out = [];
        foreach ($this->checked('reading counters', fn () => $query->get(['owner_id', 'key', 'period_start', 'count', 'sync_seq'])) as $row) {
            $out[] = [(string) $row->owner_id, (string) $row->key, substr((string) $row->period_start, 0, 10), (int) $row->count, (int) $row->sync_seq];
        }

        return $out;
    }

    /**
     * The stored rows of a top list (Counter::top(), PathHits::topPaths()): the owners of
     * $ownerType by $key ($ownerId null), or the keys of one owner ($key null).
     *
     * @return list<array{string,int}>
     */
    public function top(string $ownerType, ?string $ownerId, ?string $key, string $period, string $start, int $limit): array
    {
        [$name, $by, $value] = $ownerId === null ? ['owner_id', 'key', (string) $key] : ['key', 'owner_id', $ownerId];
        $query = $this->connection->table($this->table)
            ->where('owner_type', $ownerType)
            ->where($by, $value)
            ->where('period', $period)
            ->where('period_start', $start)
            ->orderByDesc('count')
            ->orderBy($name)
            ->limit($limit);
        $out = [];
        foreach ($this->checked('ranking counters', fn () => $query->get([$name, 'count'])) as $row) {
            $out[] = [(string) $row->{$name}, (int) $row->count];
        }

        return $out;
    }

    public function committed(string $ownerType, string $ownerId, int $seq): bool
    {
        return $this->checked('reading counters', fn () => $this->connection->table($this->table)
            ->where('owner_type', $ownerType)
            ->where('owner_id', $ownerId)
            ->where('sync_seq', $seq)
            ->exists());
    }

    /** Runs $query, a failure as Tally\DatabaseException (see Statements::run()). */
    private function checked(string $what, Closure $query, bool $rows = false): mixed
    {
        return Statements::run($this->connection, $this->table, $what, $query, $rows);
    }

    private function fence(string $name): ?int
    {
        $fence = $this->connection->table($this->syncTable())
            ->where('name', $name)
            ->lockForUpdate()   // FOR UPDATE on MySQL/MariaDB/PostgreSQL; SQLite locks the file on write
            ->value('fence');

        return $fence === null ? null : (int) $fence;
    }

    /**
     * Rows as Tally\Sink::writeBatch() documents them; a row without 'period' is a lifetime
     * counter.
     *
     * @param list<array{0:string,1:string,2:string,3:int,4:int,period?:string,period_start?:string}> $rows
     */
    private function upsert(array $rows): void
    {
        $grammar = $this->connection->getQueryGrammar();
        $table = $grammar->wrapTable($this->table);
        $now = $this->now();
        $values = [];
        $bindings = [];
        foreach ($rows as $row) {
            [$type, $id, $key, $delta, $seq] = $row;
            $values[] = '(?, ?, ?, ?, ?, ?, ?, ?, ?)';
            array_push(
                $bindings,
                (string) $type,
                (string) $id,
                (string) $key,
                (string) ($row['period'] ?? ''),
                (string) ($row['period_start'] ?? '1970-01-01'),
                (int) $delta,
                (int) $seq,
                $now,
                $now
            );
        }
        $col = fn (string $c): string => $grammar->wrap($c);
        $sql = sprintf(
            'INSERT INTO %s (%s, %s, %s, %s, %s, %s, %s, %s, %s) VALUES %s ',
            $table,
            $col('owner_type'),
            $col('owner_id'),
            $col('key'),
            $col('period'),
            $col('period_start'),
            $col('count'),
            $col('sync_seq'),
            $col('created_at'),
            $col('updated_at'),
            implode(', ', $values)
        );
        $driver = $this->connection->getDriverName();
        $sql .= match ($driver) {
            'sqlite', 'pgsql' => sprintf(
                'ON CONFLICT (%1$s, %2$s, %3$s, %8$s, %9$s) DO UPDATE SET %4$s = %7$s.%4$s + excluded.%4$s, '
                . '%5$s = excluded.%5$s, %6$s = excluded.%6$s',
                $col('owner_type'),
                $col('owner_id'),
                $col('key'),
                $col('count'),
                $col('sync_seq'),
                $col('updated_at'),
                $table,
                $col('period'),
                $col('period_start')
            ),
            'mysql', 'mariadb' => sprintf(
                'ON DUPLICATE KEY UPDATE %1$s = %1$s + VALUES(%1$s), %2$s = VALUES(%2$s), %3$s = VALUES(%3$s)',
                $col('count'),
                $col('sync_seq'),
                $col('updated_at')
            ),
            default => throw new DatabaseException("the counter sink does not support the '$driver' driver"),
        };
        $this->connection->statement($sql, $bindings);
    }

    private function syncTable(): string
    {
        return $this->table . '_sync';
    }

    private function now(): string
    {
        return Carbon::now()->format($this->connection->getQueryGrammar()->getDateFormat());
    }
}
