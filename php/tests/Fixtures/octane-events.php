<?php

// Stand-ins for Laravel Octane's terminated events (Octane is not installed here), with the
// real classes' public properties: the base application and the per-request sandbox.
// Declared only when the real ones are absent.

declare(strict_types=1);

namespace Laravel\Octane\Events;

use Illuminate\Foundation\Application;

if (!class_exists(RequestTerminated::class)) {
    final class RequestTerminated
    {
        public function __construct(public Application $app, public Application $sandbox, public mixed $request, public mixed $response)
        {
        }
    }
}

if (!class_exists(TaskTerminated::class)) {
    final class TaskTerminated
    {
        public function __construct(public Application $app, public Application $sandbox, public mixed $data, public mixed $result)
        {
        }
    }
}

if (!class_exists(TickTerminated::class)) {
    final class TickTerminated
    {
        public function __construct(public Application $app, public Application $sandbox)
        {
        }
    }
}
