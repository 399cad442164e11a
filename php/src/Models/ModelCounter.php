<?php

// The counters table as an Eloquent model: the synced values (pending deltas live in Redis).

declare(strict_types=1);

namespace Tally\Laravel\Models;

use Illuminate\Container\Container;
use Illuminate\Database\Eloquent\Builder;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\MorphTo;
use Tally\Laravel\Models\Relations\CounterOwner;
use Tally\Laravel\Settings;

/**
 * @property int $id
 * @property string $owner_type
 * @property string $owner_id
 * @property string $key
 * @property string $period '' for the lifetime counter, else 'day', 'week', 'month', 'quarter' or 'year'
 * @property string $period_start the period's first day 'Y-m-d' ('1970-01-01' for the lifetime counter)
 * @property int $count
 * @property int $sync_seq
 */
class ModelCounter extends Model
{
    /** @var list<string> */
    protected $fillable = ['owner_type', 'owner_id', 'key', 'period', 'period_start', 'count'];

    /** @var array<string,string> */
    protected $casts = [
        'count' => 'integer',
        'sync_seq' => 'integer',
    ];

    public function getTable(): string
    {
        return $this->table ?? Container::getInstance()->make(Settings::class)->table;
    }

    /** Never null: an owner on another connection must not pull its counters there. */
    public function getConnectionName(): ?string
    {
        $app = Container::getInstance();

        return $this->connection
            ?? $app->make(Settings::class)->connection
            ?? $app->make('db')->getDefaultConnection();
    }

    /** @return MorphTo<Model, $this> the owner, on its own connection */
    public function owner(): MorphTo
    {
        return $this->morphTo('owner');
    }

    #[\Override]
    protected function newMorphTo(Builder $query, Model $parent, $foreignKey, $ownerKey, $type, $relation)
    {
        return new CounterOwner($query, $parent, $foreignKey, $ownerKey, $type, $relation);
    }

    /** Related models keep their own connection (Laravel would give them this row's). */
    #[\Override]
    protected function newRelatedInstance($class)
    {
        return new $class();
    }
}
