<?php

// Recounts and verifies counters from their sources: a model's declared ones
// (CounterDefinition::recountUsing()) and Counter::recountPeriods(); the write itself and its
// race with live increments are CounterManager::recountMany()'s.

declare(strict_types=1);

namespace Tally\Laravel;

use BackedEnum;
use Carbon\Carbon;
use Closure;
use DateTimeInterface;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Support\Carbon as IlluminateCarbon;
use Tally\InvalidArgumentException;
use Tally\Laravel\Contracts\DefinesCounters;
use Tally\Laravel\Enums\Interval;

final class Recounter
{
    public function __construct(private readonly CounterManager $manager)
    {
    }

    /**
     * Recounts $periods periods of $interval, the last being the one containing $fromDate
     * (null: today): $count($start, $end) gets each period's first and last instant.
     *
     * @param Closure(Carbon, Carbon): mixed $count
     * @return array<string,int> 'Y-m-d' period start => the source's count, oldest first (as history())
     */
    public function periods(?Model $owner, string|BackedEnum $key, Interval $interval, Closure $count, int $periods = 12, DateTimeInterface|string|null $fromDate = null): array
    {
        Interval::checkPeriods($periods, 'recountPeriods() $periods');
        $starts = array_reverse($interval->previousPeriods($periods, self::day($fromDate, '$fromDate')));
        $targets = array_map(
            static fn (Carbon $start): array => [$key, $interval, $start, static fn () => $count($start, $interval->periodEnd($start))],
            $starts
        );

        return array_combine(self::names($starts), $this->manager->recountMany($owner, $targets));
    }

    /**
     * Recounts every recountable counter $model declares (a source, verify mode Equal): its
     * lifetime counter and, for each declared interval, the periods from the one containing
     * $from to the one containing $to (null: today; $from null: $to's period alone), all in
     * one recountMany(): the model's counters are written together or, when a source fails,
     * not at all. AtLeast counters are skipped, and say so.
     *
     * @return array<string,int|array{lifetime:int,periods:array<string,array<string,int>>}|array{skipped:true,reason:string}>
     *         key => the lifetime count (a counter without periods), the lifetime count and
     *         interval => ['Y-m-d' => count], or why it was skipped
     */
    public function all(Model $model, DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): array
    {
        [$from, $to] = self::range($from, $to);
        $targets = [];
        $slots = [];       // per target: [key, interval name or null]
        $results = [];
        foreach ($this->sources($model) as $key => $definition) {
            if (!$definition->isRecountable()) {
                $results[$key] = ['skipped' => true, 'reason' => "verify mode is {$definition->getVerifyMode()->value}: a cumulative count its source cannot rebuild"];
                continue;
            }
            $results[$key] = $definition->intervals() === [] ? 0 : ['lifetime' => 0, 'periods' => []];
            $targets[] = [$key, null, null, static fn (): int => $definition->countFrom($model)];
            $slots[] = [$key, null, null];
            foreach ($definition->intervals() as $interval) {
                foreach (self::starts($interval, $from, $to) as $start) {
                    $targets[] = [$key, $interval, $start, static fn (): int => $definition->countFrom($model, $start, $interval->periodEnd($start))];
                    $slots[] = [$key, $interval->value, $start->format('Y-m-d')];
                }
            }
        }
        foreach ($this->manager->recountMany($model, $targets) as $i => $count) {
            [$key, $interval, $start] = $slots[$i];
            if ($interval !== null) {
                $results[$key]['periods'][$interval][$start] = $count;
            } elseif (is_array($results[$key])) {
                $results[$key]['lifetime'] = $count;
            } else {
                $results[$key] = $count;
            }
        }

        return $results;
    }

    /**
     * Compares the counter's exact value with its source, writing nothing: the lifetime
     * counter and the declared periods from $from to $to, as all() picks them. Each value is
     * read before its source, as a recount reads them.
     *
     * @return array{key:string,mode:string,stored:int,actual:int,matches:bool,periods?:array<string,array<string,array{stored:int,actual:int,matches:bool}>>}
     *         stored: the counter, actual: the source, matches: every one passes the verify mode
     */
    public function verify(Model $model, string|BackedEnum $key, DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): array
    {
        $key = CounterDefinition::normalizeKey($key);
        $definition = $this->sources($model)[$key] ?? throw new InvalidArgumentException(sprintf(
            "%s declares no counter '%s' with recountUsing(): there is no source to verify it against",
            $model::class,
            $key
        ));

        return $this->check($model, $definition, ...self::range($from, $to));
    }

    /**
     * verify() for every counter $model declares with a source.
     *
     * @return array<string,array<string,mixed>> key => verify()'s result
     */
    public function verifyAll(Model $model, DateTimeInterface|string|null $from = null, DateTimeInterface|string|null $to = null): array
    {
        $definitions = $this->sources($model);
        [$from, $to] = self::range($from, $to);
        $results = [];
        foreach ($definitions as $key => $definition) {
            $results[$key] = $this->check($model, $definition, $from, $to);
        }

        return $results;
    }

    /**
     * The counters $model declares with a source (recountUsing()), by key. A model that
     * does not implement DefinesCounters, or a gauge with a source, is refused.
     *
     * @return array<string,CounterDefinition>
     */
    public function sources(Model $model): array
    {
        if (!$model instanceof DefinesCounters) {
            throw new InvalidArgumentException(sprintf(
                '%s does not implement %s: declare its counters and their recountUsing() sources to recount or verify them',
                $model::class,
                DefinesCounters::class
            ));
        }
        $sources = [];
        foreach ($this->manager->declarations()->definitions($model) as $key => $definition) {
            if (!$definition->hasSource()) {
                continue;
            }
            if ($definition->isGauge()) {
                throw new InvalidArgumentException(sprintf(
                    "counter '%s' of %s is a gauge with recountUsing(): a gauge is written with snapshot(), never recounted",
                    $key,
                    $model::class
                ));
            }
            $sources[$key] = $definition;
        }

        return $sources;
    }

    /** @return array<string,mixed> */
    private function check(Model $model, CounterDefinition $definition, Carbon $from, Carbon $to): array
    {
        $mode = $definition->getVerifyMode();
        $stored = $this->manager->get($model, $definition->key);
        $actual = $definition->countFrom($model);
        $result = ['key' => $definition->key, 'mode' => $mode->value, 'stored' => $stored, 'actual' => $actual, 'matches' => $mode->accepts($stored, $actual)];
        foreach ($definition->intervals() as $interval) {
            foreach (self::starts($interval, $from, $to) as $start) {
                $stored = $this->manager->get($model, $definition->key, $interval, $start);
                $actual = $definition->countFrom($model, $start, $interval->periodEnd($start));
                $matches = $mode->accepts($stored, $actual);
                $result['periods'][$interval->value][$start->format('Y-m-d')] = ['stored' => $stored, 'actual' => $actual, 'matches' => $matches];
                $result['matches'] = $result['matches'] && $matches;
            }
        }

        return $result;
    }

    /**
     * The days $from and $to name (as Clock::date() reads them) at midnight in
     * counter.timezone; $to null is today, $from null is $to. $names: how the caller calls
     * them, for the message of a malformed date.
     *
     * @param array{string,string} $names
     * @return array{Carbon,Carbon}
     */
    public static function range(DateTimeInterface|string|null $from, DateTimeInterface|string|null $to, array $names = ['$from', '$to']): array
    {
        $to = self::day($to, $names[1]);
        $from = $from === null ? $to->copy() : self::day($from, $names[0]);
        if ($from > $to) {
            throw new InvalidArgumentException(sprintf('the recount range starts (%s) after it ends (%s)', $from->format('Y-m-d'), $to->format('Y-m-d')));
        }

        return [$from, $to];
    }

    /**
     * The starts of $interval's periods from the one containing $from to the one containing
     * $to, oldest first; at most Interval::MAX_PERIODS.
     *
     * @return list<Carbon>
     */
    private static function starts(Interval $interval, Carbon $from, Carbon $to): array
    {
        $first = $interval->periodStart($from);
        $starts = [];
        for ($start = $interval->periodStart($to); $start >= $first; $start = $interval->periodStart($start->copy()->subDay())) {
            if (count($starts) === Interval::MAX_PERIODS) {
                throw new InvalidArgumentException(sprintf(
                    'the recount range %s to %s holds more than %d %s periods',
                    $from->format('Y-m-d'),
                    $to->format('Y-m-d'),
                    Interval::MAX_PERIODS,
                    $interval->value
                ));
            }
            $starts[] = $start;
        }

        return array_reverse($starts);
    }

    /** Midnight of the day $date names, in counter.timezone. */
    private static function day(DateTimeInterface|string|null $date, string $what): Carbon
    {
        return IlluminateCarbon::createFromFormat('!Y-m-d', Clock::date($date, $what), Clock::now()->getTimezone());
    }

    /**
     * @param list<Carbon> $starts
     * @return list<string>
     */
    private static function names(array $starts): array
    {
        return array_map(static fn (Carbon $start): string => $start->format('Y-m-d'), $starts);
    }
}
