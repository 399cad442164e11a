<?php

// Settings of what the package tells the application about its counters: the events
// (counter.events) and the sync instrumenter (counter.sync_instrumenter), checked once, at boot.

declare(strict_types=1);

namespace Tally\Laravel;

use Tally\InvalidArgumentException;
use Tally\Laravel\Contracts\SyncInstrumenter;

final class EventSettings
{
    /**
     * @param class-string<SyncInstrumenter>|null $syncInstrumenter resolved from the container at each sync
     */
    public function __construct(
        public readonly bool $events = false,
        public readonly ?string $syncInstrumenter = null,
    ) {
    }

    /** @param array<string,mixed> $counter config('counter') */
    public static function fromArray(array $counter): self
    {
        $events = filter_var($counter['events'] ?? false, FILTER_VALIDATE_BOOL, FILTER_NULL_ON_FAILURE);
        if ($events === null) {
            throw new InvalidArgumentException('counter.events must be true or false');
        }
        $instrumenter = $counter['sync_instrumenter'] ?? null;
        if ($instrumenter === '') {
            $instrumenter = null;
        }
        if ($instrumenter !== null && (!is_string($instrumenter) || !is_subclass_of($instrumenter, SyncInstrumenter::class))) {
            throw new InvalidArgumentException(sprintf(
                'counter.sync_instrumenter must name a class implementing %s, got %s',
                SyncInstrumenter::class,
                is_string($instrumenter) ? "'$instrumenter'" : get_debug_type($instrumenter)
            ));
        }

        return new self($events, $instrumenter);
    }
}
