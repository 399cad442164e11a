<?php

// An owner's counter rows ($model->modelCounters()), matched on owner_id as a string.

declare(strict_types=1);

namespace Tally\Laravel\Models\Relations;

use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\MorphMany;

/**
 * owner_id is a string column shared by int, UUID and ULID owners. Laravel compares an int
 * key as an int: PostgreSQL rejects that (varchar = integer) and MySQL compares numerically,
 * past the unique index ('01' would match 1). So keys are bound as strings here.
 *
 * @extends MorphMany<\Tally\Laravel\Models\ModelCounter, Model>
 */
final class OwnerCounters extends MorphMany
{
    #[\Override]
    public function getParentKey()
    {
        $key = parent::getParentKey();

        return $key === null ? null : (string) $key;
    }

    #[\Override]
    protected function getKeys(array $models, $key = null)
    {
        return array_map('strval', parent::getKeys($models, $key));
    }

    #[\Override]
    protected function whereInMethod(Model $model, $key)
    {
        return 'whereIn';
    }
}
