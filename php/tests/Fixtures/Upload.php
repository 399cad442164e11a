<?php

// An owner with a ULID key.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

use Illuminate\Database\Eloquent\Concerns\HasUlids;
use Illuminate\Database\Eloquent\Model;
use Tally\Laravel\Traits\HasCounters;

final class Upload extends Model
{
    use HasCounters;
    use HasUlids;

    protected $table = 'uploads';
    protected $guarded = [];
    public $timestamps = false;
}
