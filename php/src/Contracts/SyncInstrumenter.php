<?php

// Hooks into each sync run (Pulse, StatsD, Prometheus, tracing spans): bind an implementation
// in the container, name it in counter.sync_instrumenter, or pass it to Counter::instrumentSyncUsing().

declare(strict_types=1);

namespace Tally\Laravel\Contracts;

/**
 * Called around each CounterManager::sync() (counter:sync included), in this order:
 * started(), batch() after each committed batch, then failures() when the report has errors
 * or set-aside counters, then finished(); or failed() when the run threw. What an
 * implementation throws propagates out of the sync (from batch(): it stops the run after the
 * batch already claimed, as the engine's on_batch does). Keep it cheap: batch() runs between
 * batches, while the run holds its lock.
 */
interface SyncInstrumenter
{
    /** @param array<string,mixed> $options the Tally\Counter::sync() options of the run */
    public function started(array $options): void;

    /**
     * A batch committed (in a dry run: one owner's would-be batch, nothing written).
     *
     * @param list<array{owner_type:string,owner_id:string,key:string,delta:int}> $rows its counters
     * @param float $seconds since the previous batch (or the start): claiming, writing, committing
     */
    public function batch(array $rows, float $seconds): void;

    /**
     * The run's errors: batches that failed (their counters stay in Redis for the next run)
     * and counters the database rejected, set aside (Tally\Counter::failed() lists them).
     *
     * @param list<string> $errors the report's messages
     */
    public function failures(array $errors, int $setAside): void;

    /** @param array<string,mixed> $report the run's report (Tally\Counter::sync()), seconds included */
    public function finished(array $report): void;

    /** The run threw $e (Redis or SQL unreachable, a stale run fenced, a callback's exception). */
    public function failed(\Throwable $e, float $seconds): void;
}
