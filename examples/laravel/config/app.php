<?php

// The demo application's name and environment; the rest comes from Laravel's defaults.

return [
    'name' => env('APP_NAME', 'Tally demo'),
    'env' => env('APP_ENV', 'local'),
    'debug' => (bool) env('APP_DEBUG', true),
];
