<?php

// The package's events (counter.events): dispatched through Laravel's dispatcher when on,
// and when off not even built.

declare(strict_types=1);

namespace Tally\Laravel;

use Closure;
use Illuminate\Contracts\Events\Dispatcher;

final class CounterEvents
{
    /** @param ?Dispatcher $dispatcher null: events are off */
    public function __construct(private readonly ?Dispatcher $dispatcher = null)
    {
    }

    public function on(): bool
    {
        return $this->dispatcher !== null;
    }

    /** @param Closure(): object $event built only when events are on */
    public function dispatch(Closure $event): void
    {
        $this->dispatcher?->dispatch($event());
    }
}
