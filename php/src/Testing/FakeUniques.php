<?php

// The unique counts of Counter::fake()'s engine: the members of each (owner, key, period) in
// memory, counted exactly (the extension's HyperLogLogs estimate them; never expire here).

declare(strict_types=1);

namespace Tally\Laravel\Testing;

use DateTimeInterface;
use Illuminate\Support\Carbon;
use Tally\InvalidArgumentException;
use Tally\Laravel\Enums\Interval;

trait FakeUniques
{
    /** @var array<string,array{string,string,string,string,string,array<string,true>}> set => [type, id, key, period, start, members] */
    private array $uniqueSets = [];

    /** @param string|int|list<string|int> $members @param list<string> $periods */
    public function addUnique(string $ownerType, int|string $ownerId, string $key, string|int|array $members, array $periods = ['day'], DateTimeInterface|string|null $at = null, int $grace = 172800): bool
    {
        $members = is_array($members) ? $members : [$members];
        if ($members === []) {
            throw new InvalidArgumentException('members must not be empty');
        }
        foreach ($members as $m) {
            if (!is_string($m) && !is_int($m)) {
                throw new InvalidArgumentException('members must be strings or ints, found ' . get_debug_type($m));
            }
        }
        $changed = false;
        foreach (self::uniqueTargets($periods, $at) as [$period, $start]) {
            $set = "$ownerType\0$ownerId\0$key\0$period\0$start";
            $this->uniqueSets[$set] ??= [$ownerType, (string) $ownerId, $key, $period, $start, []];
            foreach ($members as $m) {
                $changed = $changed || !isset($this->uniqueSets[$set][5][(string) $m]);
                $this->uniqueSets[$set][5][(string) $m] = true;
            }
        }

        return $changed;
    }

    public function uniques(string $ownerType, int|string $ownerId, string $key, string $period = 'day', DateTimeInterface|string|null $at = null): int
    {
        return $this->uniquesBetween($ownerType, $ownerId, $key, $period, $at ?? Carbon::today(), $at ?? Carbon::today())['count'];
    }

    /** @return array{count:int,gone:list<string>} */
    public function uniquesBetween(string $ownerType, int|string $ownerId, string $key, string $period, DateTimeInterface|string $from, DateTimeInterface|string $to): array
    {
        [[, $first]] = self::uniqueTargets([$period], $from);
        [[, $last]] = self::uniqueTargets([$period], $to);
        $union = [];
        foreach ($this->uniqueSets as [$type, $id, $k, $p, $start, $members]) {
            if ($type === $ownerType && $id === (string) $ownerId && $k === $key && $p === $period && $start >= $first && $start <= $last) {
                $union += $members;
            }
        }

        return ['count' => count($union), 'gone' => []];
    }

    /** @return list<array{owner_type:string,owner_id:string,key:string,period:string,period_start:string,estimate:int}> */
    public function uniqueEstimates(?string $pattern = null, DateTimeInterface|string|null $today = null): array
    {
        $today = $today instanceof DateTimeInterface ? $today->format('Y-m-d') : ($today ?? Carbon::today()->format('Y-m-d'));
        $rows = [];
        foreach ($this->uniqueSets as [$type, $id, $key, $period, $start, $members]) {
            $end = Interval::from($period)->periodEnd(Carbon::createFromFormat('!Y-m-d', $start, 'UTC'))->format('Y-m-d');
            if ($end < $today && ($pattern === null || fnmatch($pattern, $type))) {
                $rows[] = ['owner_type' => $type, 'owner_id' => $id, 'key' => $key, 'period' => $period, 'period_start' => $start, 'estimate' => count($members)];
            }
        }

        return $rows;
    }

    /** @param list<string> $periods @return list<array{string,string}> */
    private static function uniqueTargets(array $periods, DateTimeInterface|string|null $at): array
    {
        if ($periods === [] || in_array('', $periods, true)) {
            throw new InvalidArgumentException('a unique count is of a period: day, week, month, quarter or year');
        }

        return self::targets($periods, $at);
    }
}
