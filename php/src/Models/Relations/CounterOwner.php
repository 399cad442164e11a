<?php

// A counter row's owner ($counter->owner), loaded on the owner model's own connection.

declare(strict_types=1);

namespace Tally\Laravel\Models\Relations;

use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\MorphTo;

/**
 * Laravel gives a related model without a connection of its own the connection of the model
 * it is reached from. Counters may live on another connection (counter.connection) than
 * their owners, so an owner keeps its own (by default, the default connection).
 *
 * @extends MorphTo<Model, \Tally\Laravel\Models\ModelCounter>
 */
final class CounterOwner extends MorphTo
{
    #[\Override]
    public function createModelByType($type)
    {
        $class = Model::getActualClassNameForMorph($type);

        return new $class();
    }
}
