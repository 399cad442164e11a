<?php

// Counter values loaded onto models for a whole collection at once ($products->loadCounters(['downloads'])),
// so that $product->counter('downloads') afterwards costs no I/O: one getForMany() per owner type.

declare(strict_types=1);

namespace Tally\Laravel;

use BackedEnum;
use DateTimeInterface;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Support\Carbon;
use Tally\InvalidArgumentException;
use Tally\Laravel\Enums\Interval;

final class LoadedCounters
{
    private function __construct()
    {
    }

    /**
     * Loads the exact values of $keys (of the period containing $periodStart with $interval)
     * onto every model of $models that uses HasCounters: one Redis round trip and one SQL
     * query per owner type (CounterManager::getForMany()). Values are a snapshot: a write
     * through Tally to a model drops its loaded values of that key; writes by others are not
     * seen until the next load.
     *
     * @param iterable<Model> $models
     * @param list<string|BackedEnum> $keys
     */
    public static function load(CounterManager $manager, iterable $models, array $keys, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): void
    {
        $byType = [];
        foreach ($models as $i => $model) {
            if (!$model instanceof Model || !method_exists($model, 'setLoadedCounters')) {
                throw new InvalidArgumentException(sprintf('loadCounters() loads onto models using Tally\Laravel\Traits\HasCounters, got %s at index %s', get_debug_type($model), (string) $i));
            }
            $o = Owner::of($model);   // once per model: the type groups it, the id finds its values
            $byType[$o->type][0][] = $model;
            $byType[$o->type][1][] = $o->id;
        }
        $date = $interval === null ? null : Clock::date($periodStart, '$periodStart');
        $suffix = self::suffix($interval, $date);
        foreach ($byType as $type => [$group, $ids]) {
            $values = $manager->readOwners((string) $type, $ids, $keys, $interval, $date);
            foreach ($group as $j => $model) {
                $model->setLoadedCounters($values[$ids[$j]] ?? [], $suffix);
            }
        }
    }

    /**
     * Where a model keeps a loaded value: the key, the interval and the period's first day
     * (any day of the period names the same slot).
     */
    public static function slot(string $key, ?Interval $interval, DateTimeInterface|string|null $periodStart): string
    {
        return $key . self::suffix($interval, $periodStart);
    }

    /** What follows the key in the slot of every value loaded for ($interval, $periodStart). */
    public static function suffix(?Interval $interval, DateTimeInterface|string|null $periodStart): string
    {
        if ($interval === null) {
            return "\0";
        }
        $day = Carbon::createFromFormat('!Y-m-d', Clock::date($periodStart, '$periodStart'), 'UTC');

        return "\0" . $interval->value . "\0" . $interval->periodStart($day)->format('Y-m-d');
    }

    /** Drops what $model holds loaded of $key (any period), after a write through Tally. */
    public static function forget(?Model $model, string $key): void
    {
        if ($model !== null && method_exists($model, 'forgetLoadedCounter')) {
            $model->forgetLoadedCounter($key);
        }
    }
}
