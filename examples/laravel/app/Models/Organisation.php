<?php

// An organisation with an API-call quota: api_calls counted per call, checked against api_limit.
// Its owner type in counters is the morph map alias 'organisation' (AppServiceProvider).

declare(strict_types=1);

namespace App\Models;

use Illuminate\Database\Eloquent\Model;
use Tally\Laravel\Traits\HasCounters;

/**
 * @property int $id
 * @property string $name
 * @property int $api_limit
 */
class Organisation extends Model
{
    use HasCounters;

    /** @var list<string> */
    protected $fillable = ['name', 'api_limit'];

    /** @var array<string,string> */
    protected $casts = ['api_limit' => 'integer'];

    /** The seed's quota check: exact (synced + pending), so a sync in between changes nothing. */
    public function withinApiQuota(): bool
    {
        return $this->counter('api_calls') < $this->api_limit;
    }
}
