<?php

// An owner that declares its counters: views and downloads with periods, followers a gauge.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

use Illuminate\Database\Eloquent\Model;
use Tally\Laravel\Contracts\DefinesCounters;
use Tally\Laravel\CounterDefinition;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Traits\HasCounters;

final class Article extends Model implements DefinesCounters
{
    use HasCounters;

    /** How often counterDefinitions() was called: it is read once per class. */
    public static int $definitionReads = 0;

    protected $table = 'articles';
    protected $guarded = [];
    public $timestamps = false;

    public function counterDefinitions(): array
    {
        self::$definitionReads++;

        return [
            CounterDefinition::make(ArticleCounter::Views)->interval(Interval::Day)->interval(Interval::Week, Interval::Month),
            CounterDefinition::make('downloads')->interval(Interval::Day),
            CounterDefinition::make(ArticleCounter::Followers)->gauge(),
            // config counter.periods may list 'shares' too: this definition (lifetime only) wins.
            CounterDefinition::make('shares'),
        ];
    }
}
