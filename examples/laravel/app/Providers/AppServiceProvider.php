<?php

// The application's own registrations: the morph map alias that names organisations in
// polymorphic columns, model_counters.owner_type included.

declare(strict_types=1);

namespace App\Providers;

use App\Models\Organisation;
use Illuminate\Database\Eloquent\Relations\Relation;
use Illuminate\Support\ServiceProvider;

class AppServiceProvider extends ServiceProvider
{
    public function boot(): void
    {
        Relation::morphMap(['organisation' => Organisation::class]);
    }
}
