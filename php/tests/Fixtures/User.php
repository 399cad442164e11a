<?php

// An owner with an auto-increment integer key.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

use Illuminate\Database\Eloquent\Model;
use Tally\Laravel\Traits\HasCounters;

final class User extends Model
{
    use HasCounters;

    protected $table = 'users';
    protected $guarded = [];
    public $timestamps = false;
}
