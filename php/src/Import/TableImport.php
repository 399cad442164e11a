<?php

// Moves rejoose/model-counter's table rows into Tally's table exactly once: each batch is
// ONE transaction that adds the batch's counts into Tally's rows (count = count + x, sync_seq
// untouched, so exact reads and the sync's claims are unaffected) and deletes the source rows
// it read, each on the condition that its count is still the one read. A run killed at any
// point has moved whole batches; the rest is still in the source table for the next run.

declare(strict_types=1);

namespace Tally\Laravel\Import;

use Illuminate\Database\ConnectionInterface;
use Illuminate\Database\Query\Expression;
use Illuminate\Support\Carbon;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Sync\Statements;

final class TableImport
{
    private const UNIQUE = ['owner_type', 'owner_id', 'key', 'period', 'period_start'];

    public function __construct(
        private readonly ConnectionInterface $connection,
        private readonly string $from,
        private readonly string $to,
        private readonly OwnerTypes $owners,
        private readonly int $batchSize,
    ) {
    }

    public function run(bool $dry, Report $report): void
    {
        $after = 0;
        do {
            $batch = function () use (&$after, $dry, $report): int {
                return $this->batch($after, $dry, $report);
            };
            $read = Statements::run($this->connection, $this->to, "importing the rows of $this->from", fn (): int => $dry
                ? $batch()
                : $this->connection->transaction($batch));
        } while ($read === $this->batchSize);
    }

    /** One batch of rows after id $after (moved on to the last one read); how many were read. */
    private function batch(int &$after, bool $dry, Report $report): int
    {
        $rows = $this->connection->table($this->from)->where('id', '>', $after)->orderBy('id')->limit($this->batchSize)
            ->lockForUpdate()->get(['id', 'owner_type', 'owner_id', 'key', 'interval', 'period_start', 'count'])->all();
        $batchReport = new Report();
        $targets = [];
        $taken = [];
        foreach ($rows as $row) {
            $after = max($after, (int) $row->id);
            $target = $this->target($row, $batchReport);
            if ($target === null) {
                continue;
            }
            $identity = implode("\0", $target);
            $targets[$identity] ??= $target + ['count' => 0];
            $targets[$identity]['count'] += (int) $row->count;
            $taken[] = [(int) $row->id, (int) $row->count];
            $batchReport->moved($target['owner_type'], 'rows');
        }
        if (!$dry && $taken !== []) {
            $this->add(array_values($targets));
            $this->delete($taken);
        }
        // Counted once the batch is committed: a rolled back batch moved nothing.
        foreach ($batchReport->moved as $type => $moved) {
            $report->moved($type, 'rows', $moved['rows']);
        }
        array_push($report->left, ...$batchReport->left);

        return count($rows);
    }

    /** @return array<string,string>|null Tally's identity of a source row; null (reported) when it has none */
    private function target(object $row, Report $report): ?array
    {
        $what = sprintf('row %d (%s #%s, %s%s)', $row->id, $row->owner_type ?? 'global', $row->owner_id ?? '-', $row->key,
            $row->interval === null ? '' : ", $row->interval " . substr((string) $row->period_start, 0, 10));
        [$type, $problem] = $this->owners->ofRow($row->owner_type);
        if ($type === null) {
            $report->left($what, "owner type '$row->owner_type': $problem");

            return null;
        }
        if (($row->owner_type === null) !== ($row->owner_id === null)) {
            $report->left($what, 'owner_type and owner_id must both be set or both be null (global)');

            return null;
        }
        $period = '';
        $start = '1970-01-01';
        if ($row->interval !== null || $row->period_start !== null) {
            $interval = Interval::tryFrom((string) $row->interval);
            $start = $interval === null || $row->period_start === null ? null : PeerCounter::startOfRow($interval, (string) $row->period_start);
            if ($start === null) {
                $report->left($what, 'interval and period_start are not a period (day, week, month, quarter or year, and a date)');

                return null;
            }
            $period = $interval->value;
        }

        return ['owner_type' => $type, 'owner_id' => (string) ($row->owner_id ?? ''), 'key' => (string) $row->key,
                'period' => $period, 'period_start' => $start];
    }

    /** @param list<array<string,string|int>> $targets one per identity */
    private function add(array $targets): void
    {
        $grammar = $this->connection->getQueryGrammar();
        $now = Carbon::now()->format($grammar->getDateFormat());
        $rows = array_map(static fn (array $t): array => $t + ['sync_seq' => 0, 'created_at' => $now, 'updated_at' => $now], $targets);
        $count = $grammar->wrap('count');
        $sum = match ($this->connection->getDriverName()) {
            'mysql', 'mariadb' => "$count + VALUES($count)",
            default => $grammar->wrapTable($this->to) . ".$count + excluded.$count",
        };
        $this->connection->table($this->to)->upsert($rows, self::UNIQUE, ['count' => new Expression($sum), 'updated_at']);
    }

    /**
     * Deletes the rows taken, each only if its count is still the one read: anything else
     * (a peer still writing) rolls the batch back instead of losing what it added.
     *
     * @param list<array{int,int}> $taken [id, count]
     */
    private function delete(array $taken): void
    {
        $deleted = $this->connection->table($this->from)->where(function ($q) use ($taken): void {
            foreach ($taken as [$id, $count]) {
                $q->orWhere(static fn ($r) => $r->where('id', $id)->where('count', $count));
            }
        })->delete();
        if ($deleted !== count($taken)) {
            throw new ImportException(sprintf(
                '%d of the %d rows of %s read by this batch changed before they were deleted: is rejoose/model-counter still '
                . 'writing to it? Nothing of the batch was imported; stop it and run the import again',
                count($taken) - $deleted,
                count($taken),
                $this->from
            ));
        }
    }
}
