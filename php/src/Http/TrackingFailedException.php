<?php

// Reported (never thrown to a page) when the tally.hits middleware could not count a
// request; the failure itself is the previous exception.

declare(strict_types=1);

namespace Tally\Laravel\Http;

// Not a Tally\Exception: the failure may be that the extension is not loaded at all.
final class TrackingFailedException extends \RuntimeException
{
}
