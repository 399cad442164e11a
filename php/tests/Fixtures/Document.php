<?php

// An owner with a UUID key.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

use Illuminate\Database\Eloquent\Concerns\HasUuids;
use Illuminate\Database\Eloquent\Model;
use Tally\Laravel\Traits\HasCounters;

final class Document extends Model
{
    use HasCounters;
    use HasUuids;

    protected $table = 'documents';
    protected $guarded = [];
    public $timestamps = false;
}
