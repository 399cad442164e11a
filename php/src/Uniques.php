<?php

// Unique counts ("unique visitors per day"): one Redis HyperLogLog per owner, key and period
// (the extension's addUnique/uniques/uniquesBetween), and the estimates of closed periods
// stored in the counters table, set not added, under period names of their own.

declare(strict_types=1);

namespace Tally\Laravel;

use BackedEnum;
use DateTimeInterface;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Support\Carbon;
use Tally\InvalidArgumentException;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Testing\FakeDatabase;

final class Uniques
{
    /** Rows per upsert when counter:sync stores estimates. */
    private const STORE_CHUNK = 500;

    public function __construct(
        private readonly CounterManager $counters,
        private readonly Declarations $declarations,
        private readonly CounterTable|FakeDatabase $table,
    ) {
    }

    /**
     * The `period` column of a unique count's stored estimate: 'ud', 'uw', 'um', 'uq', 'uy',
     * so that it never meets a counter or gauge of the same key and period.
     */
    public static function sqlPeriod(Interval $interval): string
    {
        return 'u' . $interval->value[0];
    }

    /**
     * Adds $members to the unique count of $key: with $interval, of that period only; else of
     * every period the key's ->unique() definition declares (none declared: the day). One
     * Redis round trip. Returns whether an estimate changed (false also under fail-open).
     *
     * @param string|int|list<string|int> $members
     */
    public function add(?Model $owner, string|BackedEnum $key, string|int|array $members, ?Interval $interval = null, DateTimeInterface|string|null $at = null): bool
    {
        $key = CounterDefinition::normalizeKey($key);
        $o = Owner::of($owner);
        if ($this->declarations->isCounter($owner, $key) || $this->declarations->isGauge($owner, $key)) {
            throw new InvalidArgumentException(sprintf(
                "counter '%s' is declared a %s: addUnique() writes unique counts only; declare it ->unique() to count distinct members",
                $key,
                $this->declarations->isGauge($owner, $key) ? 'gauge' : 'counter'
            ));
        }
        if (is_array($members) && $members !== [] && !array_is_list($members)) {
            $members = array_values($members);
        }
        $intervals = $interval !== null ? [$interval] : ($this->declarations->uniqueIntervals($owner, $key) ?: [Interval::Day]);
        $periods = array_map(static fn (Interval $i): string => $i->value, $intervals);
        $date = Clock::date($at, '$at');
        $changed = false;
        $this->counters->failable(function () use ($o, $key, $members, $periods, $date, &$changed): void {
            $changed = $this->counters->engine()->addUnique($o->type, $o->id, $key, $members, $periods, $date, $this->counters->settings()->uniqueGrace);
        });

        return $changed;
    }

    /** The estimate of the period containing $periodStart (null: today): live, else the stored one; 0 when none. */
    public function count(?Model $owner, string|BackedEnum $key, Interval $interval, DateTimeInterface|string|null $periodStart = null): int
    {
        $date = Clock::date($periodStart, '$periodStart');

        return $this->between($owner, $key, $interval, $date, $date);
    }

    /**
     * The estimate of the distinct members over the periods from the one containing $from to
     * the one containing $to (at most 1000 periods): the union of the live HyperLogLogs (a
     * member seen on several days counts once), plus the stored estimate of each period whose
     * HyperLogLog has expired. A range that reaches such periods is therefore a sum of
     * per-period estimates there: an upper bound of the union.
     */
    public function between(?Model $owner, string|BackedEnum $key, Interval $interval, DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): int
    {
        $o = Owner::of($owner);
        $key = CounterDefinition::normalizeKey($key);
        $from = Clock::date($from, '$from');
        $to = Clock::date($to, '$to');
        if ($from > $to) {
            throw new InvalidArgumentException("uniquesBetween() \$from ($from) is after \$to ($to)");
        }
        $live = $this->counters->engine()->uniquesBetween($o->type, $o->id, $key, $interval->value, $from, $to);
        if ($live['gone'] === []) {
            return $live['count'];
        }

        return $live['count'] + array_sum($this->table->stored($o, $key, self::sqlPeriod($interval), $live['gone']));
    }

    /**
     * The estimate of each of $periods periods, oldest first, keyed by period start 'Y-m-d';
     * the last is the period containing $fromDate (null: today).
     *
     * @return array<string,int>
     */
    public function history(?Model $owner, string|BackedEnum $key, Interval $interval, int $periods = 12, DateTimeInterface|string|null $fromDate = null): array
    {
        Interval::checkPeriods($periods, 'uniqueHistory() $periods');
        $out = [];
        foreach (array_reverse($interval->previousPeriods($periods, Carbon::createFromFormat('!Y-m-d', Clock::date($fromDate, '$fromDate'), 'UTC'))) as $start) {
            $out[$start->format('Y-m-d')] = $this->count($owner, $key, $interval, $start->format('Y-m-d'));
        }

        return $out;
    }

    /**
     * Stores the estimate of every unique count whose period has closed (today in
     * counter.timezone) in the counters table, set not added: storing one twice is harmless,
     * and a late member added during the grace time updates it. Returns how many were stored.
     */
    public function store(?string $pattern = null): int
    {
        $rows = $this->counters->engine()->uniqueEstimates($pattern, Clock::today());
        foreach (array_chunk($rows, self::STORE_CHUNK) as $chunk) {
            $this->table->setMany(array_map(static fn (array $r): array => [
                'owner_type' => $r['owner_type'],
                'owner_id' => $r['owner_id'],
                'key' => $r['key'],
                'period' => self::sqlPeriod(Interval::from($r['period'])),
                'period_start' => $r['period_start'],
                'count' => $r['estimate'],
            ], $chunk), 'storing unique count estimates');
        }

        return count($rows);
    }
}
