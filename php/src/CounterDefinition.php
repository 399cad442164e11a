<?php

// A counter a model declares (rejoose/model-counter's CounterDefinition): the periods one
// increment of it feeds besides its lifetime counter, or that it is a gauge or a unique count;
// and how to recount it from its source (recountUsing, verifyMode).

declare(strict_types=1);

namespace Tally\Laravel;

use BackedEnum;
use Carbon\Carbon;
use Closure;
use Illuminate\Database\Eloquent\Model;
use Tally\InvalidArgumentException;
use Tally\Laravel\Enums\CounterVerifyMode;
use Tally\Laravel\Enums\Interval;

final class CounterDefinition
{
    /** @var list<Interval> */
    private array $intervals = [];
    private bool $gauge = false;
    private ?Closure $recount = null;
    private CounterVerifyMode $verifyMode = CounterVerifyMode::Equal;
    private bool $unique = false;

    private function __construct(public readonly string $key)
    {
    }

    public static function make(string|BackedEnum $key): self
    {
        return new self(self::normalizeKey($key));
    }

    /**
     * Adds periods: ->interval(Interval::Day)->interval(Interval::Month), or
     * ->interval(Interval::Day, Interval::Month), makes one incrementCounter() of this key add
     * to its lifetime counter, today's and this month's, in one atomic call. interval(null)
     * clears them (the peer's "no interval": the lifetime counter only).
     */
    public function interval(?Interval ...$intervals): self
    {
        foreach ($intervals as $interval) {
            if ($interval === null) {
                $this->intervals = [];
            } elseif (!in_array($interval, $this->intervals, true)) {
                $this->intervals[] = $interval;
            }
        }

        return $this;
    }

    /** @return list<Interval> the declared periods, in the order declared */
    public function intervals(): array
    {
        return $this->intervals;
    }

    /**
     * A gauge holds a value that is set, not added (followers, storage used): written with
     * Counter::snapshot(), one value per period, the last write winning. Incrementing,
     * setting or resetting a gauge is refused, and so is a snapshot of a key declared a counter.
     */
    public function gauge(bool $gauge = true): self
    {
        $this->gauge = $gauge;

        return $this;
    }

    public function isGauge(): bool
    {
        return $this->gauge;
    }

    /**
     * How to count this counter from its source, for recountAllCounters(), verifyCounter()
     * and counter:recount: called with the model for the lifetime counter, and with the
     * model, the first and the last instant of the period (Carbon, counter.timezone) for each
     * declared period; it returns an int:
     * fn (Post $p, ?Carbon $start = null, ?Carbon $end = null) => $p->comments()
     *     ->when($start, fn ($q) => $q->whereBetween('created_at', [$start, $end]))->count().
     * A closure written with $this (rejoose/model-counter's style) sees the model recounted.
     */
    public function recountUsing(Closure $callback): self
    {
        $this->recount = $callback;

        return $this;
    }

    /**
     * A unique count (unique visitors per day): distinct members added with addUnique(), one
     * estimate per period of ->interval() (none declared: the day). Incrementing, setting or
     * snapshotting it is refused, and so is addUnique() on a key declared a counter or gauge.
     */
    public function unique(bool $unique = true): self
    {
        $this->unique = $unique;

        return $this;
    }

    /** How verifyCounter() compares (default Equal); AtLeast counters are never recounted. */
    public function verifyMode(CounterVerifyMode $mode): self
    {
        $this->verifyMode = $mode;

        return $this;
    }

    public function getVerifyMode(): CounterVerifyMode
    {
        return $this->verifyMode;
    }

    /** recountUsing() was given: the counter can be verified against its source. */
    public function hasSource(): bool
    {
        return $this->recount !== null;
    }

    /** It has a source and verify mode Equal: recountAllCounters() rebuilds it (peer's isRecountable()). */
    public function isRecountable(): bool
    {
        return $this->recount !== null && $this->verifyMode === CounterVerifyMode::Equal;
    }

    /**
     * What the source says for $model: the lifetime count without $start, else the count of
     * the period from $start to $end. Tally\InvalidArgumentException when there is no source or
     * it returns anything but an int.
     */
    public function countFrom(Model $model, ?Carbon $start = null, ?Carbon $end = null): int
    {
        $callback = $this->recount ?? throw new InvalidArgumentException(sprintf(
            "counter '%s' of %s has no recountUsing(): there is nothing to recount or verify it from",
            $this->key,
            $model::class
        ));
        // Definitions are read once per class, so a closure that captured $this saw the first
        // instance: it must count for the model in hand instead.
        $bound = (new \ReflectionFunction($callback))->getClosureThis();
        if ($bound instanceof Model && $bound !== $model && $bound::class === $model::class) {
            $callback = Closure::bind($callback, $model, $model::class);
        }
        $count = $start === null ? $callback($model) : $callback($model, $start, $end);
        if (!is_int($count)) {
            throw new InvalidArgumentException(sprintf(
                "the recountUsing() callback of counter '%s' on %s returned %s, not an int",
                $this->key,
                $model::class,
                get_debug_type($count)
            ));
        }

        return $count;
    }

    public function isUnique(): bool
    {
        return $this->unique;
    }

    /** The counter key of a string or a backed enum (its value), never empty. */
    public static function normalizeKey(string|BackedEnum $key): string
    {
        $key = self::keyName($key);
        if ($key === '') {
            throw new InvalidArgumentException('counter key must not be empty');
        }

        return $key;
    }

    /** A string as is, a backed enum as its value (an int-backed one's as a string). */
    public static function keyName(string|BackedEnum $key): string
    {
        return $key instanceof BackedEnum ? (string) $key->value : $key;
    }
}
