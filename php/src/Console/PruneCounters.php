<?php

// php artisan counter:prune — deletes the period counter rows older than their interval's
// retention (counter.retention, Retention::firstKept()), in small batches through the
// counters connection; lifetime counters and periods inside the window are never touched.

declare(strict_types=1);

namespace Tally\Laravel\Console;

use Illuminate\Console\Command;
use Illuminate\Database\ConnectionInterface;
use Illuminate\Database\DatabaseManager;
use Illuminate\Database\Query\Builder;
use Illuminate\Database\QueryException;
use Tally\InvalidArgumentException;
use Tally\Laravel\Clock;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Retention;
use Tally\Laravel\Settings;
use Tally\Laravel\Uniques;

final class PruneCounters extends Command
{
    /** Rows per DELETE: each statement locks at most this many rows, briefly. */
    public const BATCH_SIZE = 1000;
    public const BATCH_SIZE_MAX = 10000;

    /** @var string */
    protected $signature = 'counter:prune
        {--older-than= : Days kept, instead of counter.retention, for --interval (or for every interval)}
        {--interval= : Only this interval: day, week, month, quarter or year}
        {--dry-run : Only count the rows that would be removed}
        {--batch-size=1000 : Rows per DELETE}';

    /** @var string */
    protected $description = 'Delete period counters older than their retention (counter.retention), in small batches';

    /** @var string */
    protected $help = 'A period row (day, week, month, quarter, year) is removed when its period_start is before the start'
        . ' of the period that contains the day N days ago (today in counter.timezone, N = the interval\'s retention):'
        . ' its period\'s last day lies before that day, so it ended at least N days ago. That period and every later one'
        . ' are kept whole; with N = 0 only the current period stays. Lifetime counters are never touched, nor an interval'
        . ' whose retention is null (kept forever) unless --older-than is given. Rows are deleted by id, at most'
        . ' --batch-size per statement, each statement committed on its own, so no long lock is held.'
        . ' Exit code 0 when done (the table says what was removed, or with --dry-run what would be), 1 on a bad option'
        . ' (nothing deleted) or a database error.';

    public function handle(Settings $settings, DatabaseManager $db): int
    {
        $plan = $this->plan($settings->retention);
        if ($plan === null) {
            return self::FAILURE;
        }
        $batch = filter_var($this->option('batch-size'), FILTER_VALIDATE_INT);
        if ($batch === false || $batch < 1 || $batch > self::BATCH_SIZE_MAX) {
            $this->error(sprintf("--batch-size must be a whole number from 1 to %d, got '%s'", self::BATCH_SIZE_MAX, $this->option('batch-size')));

            return self::FAILURE;
        }
        $now = Clock::now();
        $dry = (bool) $this->option('dry-run');
        $connection = $db->connection($settings->connection);

        $rows = [];
        $total = 0;
        $failed = null;
        foreach ($plan as $interval => $days) {
            if ($days === null) {
                $rows[] = [$interval, 'forever', '', 0, 0];
                continue;
            }
            $keep = Retention::firstKept(Interval::from($interval), $days, $now);
            $done = [0, 0];
            try {
                if ($dry) {
                    $done[0] = $this->expired($connection, $settings->table, $interval, $keep)->count();
                } else {
                    $this->delete($connection, $settings->table, $interval, $keep, $batch, $done);
                }
            } catch (QueryException $e) {
                $failed = sprintf(
                    "counter:prune failed on the %s rows of '%s' (connection '%s'): %s",
                    $interval, $settings->table, $connection->getName(), $e->getPrevious()?->getMessage() ?? $e->getMessage()
                );
            }
            $rows[] = [$interval, $days, $keep, $done[0], $done[1]];
            $total += $done[0];
            if ($failed !== null) {
                break;
            }
        }

        $this->table(['interval', 'days kept', 'kept from', $dry ? 'would remove' : 'removed', 'batches'], $rows);
        if ($failed !== null) {
            $this->error($failed);

            return self::FAILURE;
        }
        $this->info($dry
            ? "Dry run: $total period row(s) would be removed; nothing was deleted."
            : "$total period row(s) removed.");

        return self::SUCCESS;
    }

    /**
     * Days kept per interval to prune (null: kept forever), from the options over
     * counter.retention; null after an error message when an option is bad.
     *
     * @return array<string,?int>|null
     */
    private function plan(Retention $retention): ?array
    {
        $interval = $this->option('interval');
        if ($interval !== null) {
            try {
                Interval::fromName($interval, '--interval');
            } catch (InvalidArgumentException $e) {
                $this->error($e->getMessage());

                return null;
            }
        }
        $plan = $interval === null ? $retention->days : [$interval => $retention->days[$interval]];
        $olderThan = $this->option('older-than');
        if ($olderThan !== null) {
            $days = Retention::days($olderThan);
            if ($days === null) {
                $this->error(sprintf("--older-than must be a whole number of days from 0 to %d, got '%s'", Retention::DAYS_MAX, $olderThan));

                return null;
            }
            $plan = array_fill_keys(array_keys($plan), $days);
        }

        return $plan;
    }

    /** The rows of $interval whose period starts before $keep (never a lifetime row: period ''). */
    private function expired(ConnectionInterface $connection, string $table, string $interval, string $keep): Builder
    {
        // A unique count's stored estimates ('ud', ...) go with their interval's counters.
        return $connection->table($table)->whereIn('period', [$interval, Uniques::sqlPeriod(Interval::from($interval))])
            ->where('period_start', '<', $keep);
    }

    /**
     * Deletes the expired rows of $interval in batches: up to $batch ids in id order after the
     * last batch's (one pass over the primary key in all, whatever the table's size), then a
     * DELETE of those ids that checks the period again. Each DELETE commits on its own (or with
     * the caller's transaction, if the connection is inside one).
     *
     * @param array{int,int} $done rows removed and batches, counted as they go (an error
     *        stops the loop with what was removed until then)
     */
    private function delete(ConnectionInterface $connection, string $table, string $interval, string $keep, int $batch, array &$done): void
    {
        $after = 0;
        do {
            $ids = $this->expired($connection, $table, $interval, $keep)
                ->where('id', '>', $after)->orderBy('id')->limit($batch)->pluck('id')
                ->map(static fn ($id): int => (int) $id)->all();
            if ($ids === []) {
                break;
            }
            $done[0] += $this->expired($connection, $table, $interval, $keep)->whereIntegerInRaw('id', $ids)->delete();
            $done[1]++;
            $after = max($ids);
        } while (count($ids) === $batch);
    }
}
