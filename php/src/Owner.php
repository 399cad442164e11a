<?php

// Maps an Eloquent model to the (type, id) pair the extension counts under; no model is the
// global owner ('', ''), as the extension and the table store global counters.

declare(strict_types=1);

namespace Tally\Laravel;

use Illuminate\Database\Eloquent\Model;
use Tally\InvalidArgumentException;

final class Owner
{
    private function __construct(
        public readonly string $type,
        public readonly int|string $id,
    ) {
    }

    /** An owner by its stored type and id, as given (bulk writes of rows that name no model). */
    public static function raw(string $type, int|string $id): self
    {
        return new self($type, $id);
    }

    /** Morph class (a morph map alias when one is registered) and primary key; null: global. */
    public static function of(?Model $model): self
    {
        if ($model === null) {
            return new self('', '');
        }
        $id = $model->getKey();
        if ($id === null || $id === '') {
            throw new InvalidArgumentException(sprintf(
                'cannot count for a %s without a primary key value: save it first',
                $model::class
            ));
        }
        if ($id instanceof \Stringable) {
            $id = (string) $id;
        }
        if (!is_int($id) && !is_string($id)) {
            throw new InvalidArgumentException(sprintf(
                'cannot count for a %s: its primary key is a %s, not an int or a string',
                $model::class,
                get_debug_type($id)
            ));
        }

        return new self($model->getMorphClass(), $id);
    }
}
