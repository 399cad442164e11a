<?php

// One sync run as the package makes it: the engine's sync(), the instrumenter fed from its
// on_batch callback (only when there is one), and CounterSynced after it (counter.events).

declare(strict_types=1);

namespace Tally\Laravel\Sync;

use Tally\Counter as Engine;
use Tally\Laravel\Testing\FakeEngine;
use Tally\Database;
use Tally\Laravel\Contracts\SyncInstrumenter;
use Tally\Laravel\CounterEvents;
use Tally\Laravel\Events\CounterSynced;
use Tally\Sink;

final class SyncRun
{
    private function __construct()
    {
    }

    /**
     * @param array<string,mixed> $options Tally\Counter::sync() options (an on_batch of the
     *        caller's is still called, after the instrumenter, and its result kept)
     * @return array<string,mixed> the report
     */
    public static function run(Engine|FakeEngine $engine, Database|Sink $sink, array $options, ?SyncInstrumenter $instrumenter, CounterEvents $events): array
    {
        if ($instrumenter === null) {
            $report = $engine->sync($sink, $options);
        } else {
            $report = self::instrumented($engine, $sink, $options, $instrumenter);
        }
        $events->dispatch(static fn (): CounterSynced => new CounterSynced($report, (bool) ($options['dry_run'] ?? false)));

        return $report;
    }

    /**
     * @param array<string,mixed> $options
     * @return array<string,mixed>
     */
    private static function instrumented(Engine|FakeEngine $engine, Database|Sink $sink, array $options, SyncInstrumenter $instrumenter): array
    {
        $start = $last = hrtime(true);
        $instrumenter->started($options);
        $user = $options['on_batch'] ?? null;
        $options['on_batch'] = static function (array $rows) use ($instrumenter, $user, &$last): mixed {
            $now = hrtime(true);
            $instrumenter->batch($rows, ($now - $last) / 1e9);
            $last = $now;

            return $user === null ? true : $user($rows);
        };
        try {
            $report = $engine->sync($sink, $options);
        } catch (\Throwable $e) {
            $instrumenter->failed($e, (hrtime(true) - $start) / 1e9);
            throw $e;
        }
        if ($report['errors'] !== [] || $report['set_aside'] > 0) {
            $instrumenter->failures($report['errors'], $report['set_aside']);
        }
        $instrumenter->finished($report);

        return $report;
    }
}
