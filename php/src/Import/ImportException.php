<?php

// Thrown when counter:import-model-counter cannot move rejoose/model-counter's counters at
// all (tables of the wrong shape, Redis it cannot move keys on exactly once): nothing is
// moved, and the message says what to do.

declare(strict_types=1);

namespace Tally\Laravel\Import;

final class ImportException extends \RuntimeException
{
}
