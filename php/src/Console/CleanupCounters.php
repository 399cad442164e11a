<?php

// php artisan counter:cleanup — finds ephemeral counter keys left without an expiry (the
// seeds' INCR that never got its EXPIRE) and gives them the TTL configured for their pattern.
// SCAN in batches, each expiry set atomically only if the key still has none; owner counters
// (pending deltas) are never touched.

declare(strict_types=1);

namespace Tally\Laravel\Console;

use Illuminate\Console\Command;
use Tally\Laravel\CounterManager;
use Tally\Laravel\PatternSettings;

final class CleanupCounters extends Command
{
    /** @var string */
    protected $signature = 'counter:cleanup
        {--dry-run : Only report the keys without an expiry}
        {--pattern= : One key pattern instead of counter.cleanup (needs --ttl)}
        {--ttl= : Seconds to give the keys of --pattern}
        {--batch-size=1000 : Keys per SCAN batch}';

    /** @var string */
    protected $description = 'Give ephemeral counter keys left without an expiry the TTL configured for their pattern';

    public function handle(CounterManager $counters): int
    {
        $patterns = $counters->settings()->patterns->cleanup;
        $pattern = $this->option('pattern');
        if ($pattern !== null) {
            $ttl = filter_var($this->option('ttl'), FILTER_VALIDATE_INT);
            if (!is_string($pattern) || $pattern === '' || $ttl === false || $ttl < 1 || $ttl > PatternSettings::TTL_MAX) {
                $this->error(sprintf('--pattern needs a non-empty key pattern and --ttl seconds from 1 to %d', PatternSettings::TTL_MAX));

                return self::FAILURE;
            }
            $patterns = [$pattern => $ttl];
        } elseif ($this->option('ttl') !== null) {
            $this->error('--ttl goes with --pattern (counter.cleanup gives each pattern its own TTL)');

            return self::FAILURE;
        }
        $batch = filter_var($this->option('batch-size'), FILTER_VALIDATE_INT);
        if ($batch === false || $batch < 1) {
            $this->error("--batch-size must be a positive integer, got '{$this->option('batch-size')}'");

            return self::FAILURE;
        }
        if ($patterns === []) {
            $this->warn('No key patterns: set counter.cleanup (pattern => TTL) or pass --pattern and --ttl.');

            return self::SUCCESS;
        }

        $dry = (bool) $this->option('dry-run');
        $rows = [];
        $failed = false;
        foreach ($patterns as $p => $ttl) {
            try {
                $r = $counters->engine()->ensureTtl((string) $p, $ttl, ['dry_run' => $dry, 'batch_size' => $batch]);
            } catch (\Tally\Exception $e) {
                $this->error("counter:cleanup failed on '$p': " . $e->getMessage());
                $failed = true;
                continue;
            }
            $rows[] = [$p, $ttl, $r['scanned'], $r['without_ttl'], $r['ttl_set']];
            if ($this->output->isVerbose()) {
                foreach ($r['keys'] as $key) {
                    $this->line("  $key");
                }
                if ($r['without_ttl'] > count($r['keys'])) {
                    $this->line(sprintf('  … and %d more', $r['without_ttl'] - count($r['keys'])));
                }
            }
        }
        $this->table(['pattern', 'ttl', 'scanned', 'without ttl', 'ttl set'], $rows);
        if ($dry) {
            $this->info('Dry run: nothing was changed.');
        }

        return $failed ? self::FAILURE : self::SUCCESS;
    }
}
