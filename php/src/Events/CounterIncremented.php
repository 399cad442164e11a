<?php

// Dispatched (counter.events) after an increment was applied, or taken by the buffer
// (counter.buffer): at the call, not at the flush.

declare(strict_types=1);

namespace Tally\Laravel\Events;

final class CounterIncremented extends CounterChanged
{
}
