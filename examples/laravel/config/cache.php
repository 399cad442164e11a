<?php

// The cache (where the scheduler's withoutOverlapping() keeps its lock): files in storage/,
// so the demo needs no cache table. The other stores are Laravel's defaults.

return [
    'default' => env('CACHE_STORE', 'file'),
];
