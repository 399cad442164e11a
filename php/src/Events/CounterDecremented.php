<?php

// Dispatched (counter.events) after a decrement was applied, or taken by the buffer
// (counter.buffer): at the call, not at the flush.

declare(strict_types=1);

namespace Tally\Laravel\Events;

final class CounterDecremented extends CounterChanged
{
}
