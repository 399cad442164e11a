<?php

// php artisan counter:sync — a thin command over Tally\Counter::sync().

declare(strict_types=1);

namespace Tally\Laravel\Console;

use Illuminate\Console\Command;
use Symfony\Component\Console\Formatter\OutputFormatter;
use Symfony\Component\Console\Helper\ProgressBar;
use Tally\Laravel\CounterManager;

final class SyncCounters extends Command
{
    /** @var string */
    protected $signature = 'counter:sync
        {--dry-run : Count what would be synced without writing anything}
        {--pattern= : Only owners of this type (morph class or alias; * matches anything); the seed package\'s "user:*" works too}
        {--batch-size= : Counters per transaction (default: counter.sync_batch_size)}';

    /** @var string */
    protected $description = 'Move pending counter deltas from Redis to the database, exactly once';

    /** @var string */
    protected $help = 'Exit code 0 on success (and when another run holds the lock), 1 on any error,'
        . ' a counter the database rejected included: it is set aside (kept in Redis, named in the output)'
        . ' and the rest syncs; list and re-queue set-aside counters with counter:failed [--retry].'
        . ' Keys under the prefix that are not Tally\'s are left untouched and named as warnings (exit code 0).'
        . ' With -v, each counter written is listed (owner type#id, key, delta) as its batch commits;'
        . ' with --dry-run -v, what would be written.';

    public function handle(CounterManager $counters): int
    {
        $options = ['dry_run' => (bool) $this->option('dry-run')];
        $pattern = $this->option('pattern');
        if ($pattern !== null) {
            if (!is_string($pattern) || $pattern === '') {
                $this->error('--pattern must be a non-empty owner type pattern, e.g. "App\Models\*" or "user"');

                return self::FAILURE;
            }
            // The seed package matched "<type>:<id>:<key>" keys: its --pattern="user:*" is owner type "user".
            if (str_ends_with($pattern, ':*') && !str_contains(substr($pattern, 0, -2), ':') && strlen($pattern) > 2) {
                $pattern = substr($pattern, 0, -2);
            }
            $options['pattern'] = $pattern;
        }
        $batchSize = $this->option('batch-size');
        if ($batchSize !== null) {
            $size = filter_var($batchSize, FILTER_VALIDATE_INT);
            if ($size === false || $size < 1) {
                $this->error("--batch-size must be a positive integer, got '$batchSize'");

                return self::FAILURE;
            }
            $options['batch_size'] = $size;
        }

        $bar = null;
        if ($this->output->isDecorated()) {
            $bar = $this->output->createProgressBar();
            $bar->setFormat(' %current% counters [%bar%] %elapsed:6s%');
            $bar->start();
        }
        $verbose = $this->output->isVerbose();
        if ($bar !== null) {
            $options['progress'] = function (int $done) use ($bar): bool {
                $bar->setProgress($done);

                return true;
            };
        }
        if ($verbose) {
            // Each committed batch (in a dry run: each owner's would-be batch), as it happens.
            $options['on_batch'] = function (array $rows) use ($bar): bool {
                $bar?->clear();
                foreach ($rows as $row) {
                    $this->line(sprintf(
                        '  %s#%s  %s  %+d',
                        OutputFormatter::escape($row['owner_type']),
                        OutputFormatter::escape($row['owner_id']),
                        OutputFormatter::escape($row['key']),
                        $row['delta']
                    ));
                }
                $bar?->display();

                return true;
            };
        }

        try {
            $report = $counters->sync($options);
            // Closed periods' unique estimates, stored after the counters (Uniques::store()).
            $stored = $options['dry_run'] || $report['locked'] ? 0 : $counters->uniques()->store($options['pattern'] ?? null);
        } catch (\Throwable $e) {
            // Tally\Exception from the engine, or whatever a PHP sink's connection threw.
            $this->finish($bar);
            $this->error('counter:sync failed: ' . $e->getMessage());

            return self::FAILURE;
        }
        $this->finish($bar);

        if ($report['locked']) {
            $this->warn('Another counter:sync holds the lock; nothing was done.');

            return self::SUCCESS;
        }

        // A dry run writes no batch: its batches column would only ever say 0.
        $this->table(['synced', 'owners', 'batches', 'skipped', 'recovered', 'errors', 'set aside', 'seconds'], [[
            $report['synced'],
            $report['owners'],
            $options['dry_run'] ? '-' : $report['batches'],
            $report['skipped'],
            $report['recovered'],
            count($report['errors']),
            $report['set_aside'],
            sprintf('%.3f', $report['seconds']),
        ]]);
        if ($options['dry_run']) {
            $this->info('Dry run: nothing was written.');
        }
        if ($stored > 0) {
            $this->info("Stored the estimates of $stored closed unique count period(s).");
        }
        if ($report['incomplete']) {
            $this->warn('Stopped before the end; the next run continues.');
        }
        foreach ($report['errors'] as $error) {
            $this->error((string) $error);
        }
        if ($report['set_aside'] > 0) {
            $this->error(sprintf(
                '%d counter(s) set aside: kept in Redis and still counted, not written. Fix the cause, then'
                . ' `php artisan counter:failed --retry` re-queues them for the next counter:sync.',
                $report['set_aside']
            ));
        }
        foreach ($report['foreign'] as $foreign) {
            $this->warn((string) $foreign);
        }
        if ($verbose && $report['errors'] === []) {
            $this->info(sprintf(
                '%s %d counter(s) of %d owner(s)%s%s; %d zero delta(s) dropped, %d recovered from an earlier run.',
                $options['dry_run'] ? 'Would sync' : 'Synced',
                $report['synced'],
                $report['owners'],
                isset($options['pattern']) ? " matching '{$options['pattern']}'" : '',
                $options['dry_run'] ? '' : sprintf(' in %d batch(es)', $report['batches']),
                $report['skipped'],
                $report['recovered']
            ));
        }

        return $report['errors'] === [] ? self::SUCCESS : self::FAILURE;
    }

    private function finish(?ProgressBar $bar): void
    {
        if ($bar !== null) {
            $bar->finish();
            $this->newLine();
        }
    }
}
