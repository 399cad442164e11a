<?php

// Query scopes over the SYNCED counters table (HasCounters::scopeWithCounter/OrderByCounter):
// one correlated subselect per query, so a listing gets its counters with its rows. Pending
// deltas in Redis are not in it; Counter::top() orders by exact values.

declare(strict_types=1);

namespace Tally\Laravel;

use BackedEnum;
use DateTimeInterface;
use Illuminate\Container\Container;
use Illuminate\Database\Eloquent\Builder;
use Illuminate\Support\Carbon;
use Tally\InvalidArgumentException;
use Tally\Laravel\Enums\Interval;

final class CounterQuery
{
    /** period_start of a lifetime row (its period is ''), as the extension writes it. */
    private const LIFETIME_START = '1970-01-01';

    private function __construct()
    {
    }

    /**
     * Adds the column "<key>_count" (the key with anything but letters, digits and _ made _,
     * as rejoose/model-counter names it): the synced value of each row's counter (with
     * $interval, of the period containing $periodStart, null: the current one), 0 without a row.
     */
    public static function withCounter(Builder $query, string|BackedEnum $key, ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): void
    {
        $key = CounterDefinition::normalizeKey($key);
        [$sql, $bindings] = self::value($query, $key, $interval, $periodStart);
        $base = $query->getQuery();
        if ($base->columns === null) {
            $base->select([$base->from . '.*']);
        }
        $alias = preg_replace('/[^A-Za-z0-9_]/', '_', $key) . '_count';
        $base->selectRaw($sql . ' as ' . $base->getGrammar()->wrap($alias), $bindings);
        $query->withCasts([$alias => 'integer']);
    }

    /** Orders by the synced value withCounter() selects ('desc' or 'asc'); rows without one count as 0. */
    public static function orderByCounter(Builder $query, string|BackedEnum $key, string $direction = 'desc', ?Interval $interval = null, DateTimeInterface|string|null $periodStart = null): void
    {
        $key = CounterDefinition::normalizeKey($key);
        $dir = strtolower($direction);
        if ($dir !== 'asc' && $dir !== 'desc') {
            throw new InvalidArgumentException("orderByCounter() direction must be 'asc' or 'desc', got '$direction'");
        }
        [$sql, $bindings] = self::value($query, $key, $interval, $periodStart);
        $query->getQuery()->orderByRaw("$sql $dir", $bindings);
    }

    /**
     * COALESCE((the row's count), 0) over the counters table, correlated with the model's key,
     * and its bindings. The counters table must be on the model's connection: a subselect
     * cannot reach another database.
     *
     * @return array{string, list<string>}
     */
    private static function value(Builder $query, string $key, ?Interval $interval, DateTimeInterface|string|null $periodStart): array
    {
        $model = $query->getModel();
        $app = Container::getInstance();
        $settings = $app->make(Settings::class);
        $default = $app->make('db')->getDefaultConnection();
        $counters = $settings->connection ?? $default;
        $connection = $model->getConnection();
        if ($counters !== $connection->getName()) {
            throw new InvalidArgumentException(sprintf(
                "cannot select or order %s by counter '%s': the counters table is on connection '%s' (counter.connection), %s on '%s', and a subselect cannot cross connections; read counter() / counters(), or Counter::top()",
                $model::class,
                $key,
                $counters,
                $model->getTable(),
                $connection->getName()
            ));
        }
        $grammar = $connection->getQueryGrammar();
        $ownerId = $grammar->wrap($model->getQualifiedKeyName());
        $ownerId = match ($connection->getDriverName()) {
            'mysql', 'mariadb' => "CAST($ownerId AS CHAR)",
            'pgsql' => "CAST($ownerId AS VARCHAR)",
            default => "CAST($ownerId AS TEXT)",
        };
        $start = $interval === null
            ? self::LIFETIME_START
            : $interval->periodStart(Carbon::createFromFormat('!Y-m-d', Clock::date($periodStart, '$periodStart'), 'UTC'))->format('Y-m-d');
        $sub = $connection->query()->from($settings->table . ' as tally_counter')->select('tally_counter.count')
            ->where('tally_counter.owner_type', $model->getMorphClass())
            ->whereRaw($grammar->wrap('tally_counter.owner_id') . " = $ownerId")
            ->where('tally_counter.key', $key)
            ->where('tally_counter.period', $interval?->value ?? '')
            ->where('tally_counter.period_start', $start);

        return ['COALESCE((' . $sub->toSql() . '), 0)', $sub->getBindings()];
    }
}
