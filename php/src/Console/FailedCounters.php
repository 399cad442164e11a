<?php

// php artisan counter:failed — lists the counters counter:sync set aside (the database
// rejected them for their data: kept in Redis, still counted, not written) and, with
// --retry, puts them back into pending so that the next counter:sync writes them.

declare(strict_types=1);

namespace Tally\Laravel\Console;

use Illuminate\Console\Command;
use Symfony\Component\Console\Formatter\OutputFormatter;
use Tally\Laravel\CounterManager;

final class FailedCounters extends Command
{
    /** @var string */
    protected $signature = 'counter:failed
        {--retry : Put them back into pending (fix the cause first, or the next sync sets them aside again)}
        {--pattern= : Only owners of this type (morph class or alias; * matches anything)}';

    /** @var string */
    protected $description = 'List the counters counter:sync set aside, or re-queue them with --retry';

    public function handle(CounterManager $counters): int
    {
        $pattern = $this->option('pattern');
        if ($pattern !== null && (!is_string($pattern) || $pattern === '')) {
            $this->error('--pattern must be a non-empty owner type pattern, e.g. "App\Models\*" or "user"');

            return self::FAILURE;
        }
        $retry = (bool) $this->option('retry');
        try {
            $engine = $counters->engine();
            $rows = $retry ? $engine->retryFailed($pattern) : $engine->failed($pattern);
        } catch (\Throwable $e) {
            $this->error('counter:failed failed: ' . $e->getMessage());

            return self::FAILURE;
        }
        if ($rows === []) {
            $this->info('No counters are set aside.');

            return self::SUCCESS;
        }
        usort($rows, fn (array $a, array $b): int => [$a['owner_type'], $a['owner_id'], $a['key']]
            <=> [$b['owner_type'], $b['owner_id'], $b['key']]);
        $this->table(['owner type', 'owner id', 'key', 'delta'], array_map(fn (array $r): array => [
            OutputFormatter::escape($r['owner_type']),
            OutputFormatter::escape($r['owner_id']),
            OutputFormatter::escape($r['key']),
            $r['delta'],
        ], $rows));
        $this->info($retry
            ? sprintf('%d counter(s) put back into pending: the next counter:sync writes them.', count($rows))
            : sprintf('%d counter(s) set aside. Fix the cause, then run counter:failed --retry.', count($rows)));

        return self::SUCCESS;
    }
}
