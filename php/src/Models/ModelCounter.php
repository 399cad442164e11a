<?php

// The counters table as an Eloquent model: the synced values (pending deltas live in Redis).

declare(strict_types=1);

namespace Tally\Laravel\Models;

use Illuminate\Container\Container;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\MorphTo;
use Tally\Laravel\Settings;

/**
 * @property int $id
 * @property string $owner_type
 * @property string $owner_id
 * @property string $key
 * @property int $count
 * @property int $sync_seq
 */
class ModelCounter extends Model
{
    /** @var list<string> */
    protected $fillable = ['owner_type', 'owner_id', 'key', 'count'];

    /** @var array<string,string> */
    protected $casts = [
        'count' => 'integer',
        'sync_seq' => 'integer',
    ];

    public function getTable(): string
    {
        return $this->table ?? Container::getInstance()->make(Settings::class)->table;
    }

    public function getConnectionName(): ?string
    {
        return $this->connection ?? Container::getInstance()->make(Settings::class)->connection;
    }

    public function owner(): MorphTo
    {
        return $this->morphTo('owner');
    }
}
