<?php

// php artisan demo:check — after demo:count and counter:sync: every counter, read back through
// counter(), allCounters() and the model_counters rows (ModelCounter), against what was issued.

declare(strict_types=1);

namespace App\Console\Commands;

use App\Models\Organisation;
use App\Models\User;
use Illuminate\Console\Command;
use Tally\Laravel\Models\ModelCounter;

final class CheckDemo extends Command
{
    /** @var string */
    protected $signature = 'demo:check';

    /** @var string */
    protected $description = 'Compare every counter with what demo:count issued (exit 1 on any difference)';

    public function handle(): int
    {
        $file = CountDemo::issuedFile();
        if (!is_file($file)) {
            $this->error("no $file: run demo:count first");

            return self::FAILURE;
        }
        $issued = json_decode((string) file_get_contents($file), true, flags: JSON_THROW_ON_ERROR);

        // The synced rows, each with its owner resolved back (the 'organisation' alias included).
        $rows = [];
        $orphans = 0;
        foreach (ModelCounter::query()->with('owner')->get() as $row) {
            $rows[$row->owner_type][$row->owner_id][$row->key] = $row->count;
            if ($row->owner === null || $row->owner->getMorphClass() !== $row->owner_type) {
                $orphans++;
            }
        }

        $table = [];
        $checked = $differ = 0;
        /** @var list<User|Organisation> $owners */
        $owners = [...User::query()->orderBy('id')->get(), ...Organisation::query()->orderBy('id')->get()];
        foreach ($owners as $owner) {
            $type = $owner->getMorphClass();
            $expect = $issued[$type][$owner->getKey()] ?? [];
            ksort($expect, SORT_STRING);
            $all = $owner->allCounters();
            foreach ($expect as $key => $amount) {
                $read = $owner->counter($key);
                $synced = $rows[$type][$owner->getKey()][$key] ?? null;
                $ok = $read === $amount && ($all[$key] ?? null) === $amount && $synced === $amount;
                $checked++;
                $differ += $ok ? 0 : 1;
                $table[] = ["$type#{$owner->getKey()} {$owner->name}", $key, $amount, $read, $all[$key] ?? '-', $synced ?? '-', $ok ? 'ok' : 'MISMATCH'];
            }
            // A counter nobody issued would be a difference too.
            foreach (array_diff_key($all, $expect) as $key => $value) {
                $differ++;
                $table[] = ["$type#{$owner->getKey()} {$owner->name}", $key, 0, $value, $value, $rows[$type][$owner->getKey()][$key] ?? '-', 'MISMATCH'];
            }
        }
        $this->table(['owner', 'key', 'issued', 'counter()', 'allCounters()', 'model_counters', ''], $table);

        $rowCount = array_sum(array_map(static fn (array $ids): int => array_sum(array_map('count', $ids)), $rows));
        if ($rowCount !== $checked || $orphans > 0) {
            $this->error("model_counters has $rowCount rows ($orphans without their owner) for $checked issued counters");
            $differ += max(1, abs($rowCount - $checked), $orphans);
        }
        if ($differ > 0 || $checked === 0) {
            $this->line("demo: COUNTERS DO NOT MATCH what was issued ($differ of $checked differ)");

            return self::FAILURE;
        }
        $this->line("demo: all $checked counters match what was issued, through counter(), allCounters() and model_counters");

        return self::SUCCESS;
    }
}
