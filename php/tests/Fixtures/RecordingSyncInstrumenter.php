<?php

// A SyncInstrumenter that writes down what it is told, in order.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

use Tally\Laravel\Contracts\SyncInstrumenter;

final class RecordingSyncInstrumenter implements SyncInstrumenter
{
    /** @var list<array{string, mixed}> [call, what it was given] */
    public array $calls = [];
    /** @var ?\Closure(array): void run at each batch (a test's way to throw from it) */
    public ?\Closure $onBatch = null;

    public function started(array $options): void
    {
        $this->calls[] = ['started', $options];
    }

    public function batch(array $rows, float $seconds): void
    {
        if ($seconds < 0) {
            throw new \LogicException("a batch took $seconds seconds");
        }
        $this->calls[] = ['batch', $rows];
        if ($this->onBatch !== null) {
            ($this->onBatch)($rows);
        }
    }

    public function failures(array $errors, int $setAside): void
    {
        $this->calls[] = ['failures', [$errors, $setAside]];
    }

    public function finished(array $report): void
    {
        $this->calls[] = ['finished', $report];
    }

    public function failed(\Throwable $e, float $seconds): void
    {
        $this->calls[] = ['failed', $e];
    }

    /** @return list<string> the calls' names */
    public function names(): array
    {
        return array_map(static fn (array $c): string => $c[0], $this->calls);
    }

    /** @return list<string> "type#id.key=delta" of every batch's rows, sorted */
    public function rows(): array
    {
        $out = [];
        foreach ($this->calls as [$name, $rows]) {
            if ($name === 'batch') {
                foreach ($rows as $r) {
                    $out[] = "{$r['owner_type']}#{$r['owner_id']}.{$r['key']}={$r['delta']}";
                }
            }
        }
        sort($out);

        return $out;
    }
}
