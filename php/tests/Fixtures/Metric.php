<?php

// An int-backed enum of counter keys: its value, as a string, is the key.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

enum Metric: int
{
    case Views = 7;
    case Clicks = 42;
}
