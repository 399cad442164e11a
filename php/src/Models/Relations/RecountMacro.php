<?php

// Relation::macro('recount'), as rejoose/model-counter registers it: $post->comments()->recount()
// recounts the parent's counter (by default named after the related table) from the relation.

declare(strict_types=1);

namespace Tally\Laravel\Models\Relations;

use BackedEnum;
use DateTimeInterface;
use Illuminate\Database\Eloquent\Relations\Relation;
use Tally\InvalidArgumentException;
use Tally\Laravel\Counter;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Traits\HasCounters;

final class RecountMacro
{
    private function __construct()
    {
    }

    public static function register(): void
    {
        Relation::macro('recount', function (string|BackedEnum|null $key = null, ?Interval $interval = null, int $periods = 1, DateTimeInterface|string|null $fromDate = null, string $dateColumn = 'created_at'): int|array {
            /** @var Relation<\Illuminate\Database\Eloquent\Model, \Illuminate\Database\Eloquent\Model, mixed> $this */
            return RecountMacro::recount($this, $key, $interval, $periods, $fromDate, $dateColumn);
        });
    }

    /**
     * Without $interval: Counter::recount() of the parent's $key from the relation's count.
     * With: Counter::recountPeriods() of $periods periods up to the one containing $fromDate,
     * each counting the related rows whose $dateColumn lies in it.
     *
     * @param Relation<\Illuminate\Database\Eloquent\Model, \Illuminate\Database\Eloquent\Model, mixed> $relation
     * @return int|array<string,int>
     */
    public static function recount(Relation $relation, string|BackedEnum|null $key, ?Interval $interval, int $periods, DateTimeInterface|string|null $fromDate, string $dateColumn): int|array
    {
        $parent = $relation->getParent();
        if (!in_array(HasCounters::class, class_uses_recursive($parent), true)) {
            throw new InvalidArgumentException(sprintf('recount(): %s, the parent of this relation, does not use %s', $parent::class, HasCounters::class));
        }
        $key ??= $relation->getRelated()->getTable();
        if ($interval === null) {
            return Counter::recount($parent, $key, static fn (): int => $relation->count());
        }
        $column = $relation->getRelated()->qualifyColumn($dateColumn);

        return Counter::recountPeriods(
            $parent,
            $key,
            $interval,
            static fn ($start, $end): int => $relation->getQuery()->clone()->whereBetween($column, [$start, $end])->count(),
            $periods,
            $fromDate
        );
    }
}
