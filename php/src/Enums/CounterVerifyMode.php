<?php

// How verifyCounter() compares a counter with what its source says (rejoose/model-counter's
// CounterVerifyMode), and so whether recountAllCounters() may rebuild it from the source.

declare(strict_types=1);

namespace Tally\Laravel\Enums;

enum CounterVerifyMode: string
{
    /** The counter must equal the source: recountable, recountAllCounters() rebuilds it. */
    case Equal = 'equal';

    /**
     * The counter must be at least the source: a cumulative count of events the source only
     * shows the last state of (edits counted by updated_at). Never recounted by
     * recountAllCounters(), which would throw the history away.
     */
    case AtLeast = 'at_least';

    /** Whether $stored passes against the source's $actual. */
    public function accepts(int $stored, int $actual): bool
    {
        return match ($this) {
            self::Equal => $stored === $actual,
            self::AtLeast => $stored >= $actual,
        };
    }
}
