<?php

// An owner with a unique count (visitors per day and month) next to a counter and a gauge.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

use Illuminate\Database\Eloquent\Model;
use Tally\Laravel\Contracts\DefinesCounters;
use Tally\Laravel\CounterDefinition;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Traits\HasCounters;

final class Page extends Model implements DefinesCounters
{
    use HasCounters;

    protected $table = 'articles';
    protected $guarded = [];
    public $timestamps = false;

    public function counterDefinitions(): array
    {
        return [
            CounterDefinition::make('visitors')->unique()->interval(Interval::Day, Interval::Month),
            CounterDefinition::make('readers')->unique(),
            CounterDefinition::make('views')->interval(Interval::Day),
            CounterDefinition::make('followers')->gauge(),
        ];
    }
}
