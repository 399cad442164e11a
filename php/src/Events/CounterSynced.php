<?php

// Dispatched (counter.events) after each sync run (CounterManager::sync(), counter:sync)
// that returned a report, with that report.

declare(strict_types=1);

namespace Tally\Laravel\Events;

/**
 * rejoose/model-counter's (synced, skipped, errors), errors as a count as there; the
 * messages and the rest are in $report (Tally\Counter::sync()'s report).
 */
final class CounterSynced
{
    public readonly int $synced;
    public readonly int $skipped;
    public readonly int $errors;
    public readonly int $setAside;
    public readonly bool $locked;
    public readonly bool $dryRun;

    /** @param array<string,mixed> $report */
    public function __construct(public readonly array $report, bool $dryRun = false)
    {
        $this->synced = (int) $report['synced'];
        $this->skipped = (int) $report['skipped'];
        $this->errors = count($report['errors']);
        $this->setAside = (int) $report['set_aside'];
        $this->locked = (bool) $report['locked'];
        $this->dryRun = $dryRun;
    }
}
