<?php

// The source of Post's comments counter.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

use Illuminate\Database\Eloquent\Model;

final class Comment extends Model
{
    protected $table = 'comments';
    protected $guarded = [];
    public $timestamps = false;
}
