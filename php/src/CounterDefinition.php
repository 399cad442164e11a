<?php

// A counter a model declares (rejoose/model-counter's CounterDefinition): the periods one
// increment of it feeds besides its lifetime counter, or that it is a gauge.

declare(strict_types=1);

namespace Tally\Laravel;

use BackedEnum;
use Tally\InvalidArgumentException;
use Tally\Laravel\Enums\Interval;

final class CounterDefinition
{
    /** @var list<Interval> */
    private array $intervals = [];
    private bool $gauge = false;

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
