<?php

// A user whose profile views and downloads are counted ($user->incrementCounter('downloads')).

declare(strict_types=1);

namespace App\Models;

use Illuminate\Foundation\Auth\User as Authenticatable;
use Tally\Laravel\Traits\HasCounters;

class User extends Authenticatable
{
    use HasCounters;

    /** @var list<string> */
    protected $fillable = ['name', 'email'];
}
