<?php

// Maps rejoose/model-counter's owners onto Tally's owner types (the morph class, an alias of
// the morph map when one is registered): its Redis keys spell the type lowercased with '\'
// as '.', its table rows hold the morph class it had then. Candidates are the morph map,
// the models named with --model, the Eloquent models already loaded, and the class the peer's
// own sync would try (App\Models\..., autoloaded). What maps onto no type or onto several is
// not guessed: the import reports it and leaves it in place.

declare(strict_types=1);

namespace Tally\Laravel\Import;

use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\Relation;
use Tally\InvalidArgumentException;

final class OwnerTypes
{
    /** @var array<string,string> lowercased segment => Tally type, of every candidate */
    private array $bySegment = [];
    /** @var array<string,list<string>> segments more than one type spells */
    private array $ambiguous = [];
    /** @var array<string,array{?string,?string}> memo: segment or row type => [type, problem] */
    private array $memo = [];

    /**
     * @param list<string> $models model classes (or morph aliases) the app counts for
     * @throws InvalidArgumentException when one names no Eloquent model
     */
    public function __construct(array $models = [])
    {
        foreach (Relation::morphMap() as $alias => $class) {
            $this->add((string) $alias);
        }
        foreach ($models as $model) {
            $class = Relation::getMorphedModel($model) ?? $model;
            if (!is_string($class) || !class_exists($class) || !is_subclass_of($class, Model::class)) {
                throw new InvalidArgumentException("--model '$model' is neither an Eloquent model class nor a morph map alias");
            }
            $this->add(self::morphOf($class) ?? $class);
        }
        foreach (get_declared_classes() as $class) {
            if (is_subclass_of($class, Model::class) && !(new \ReflectionClass($class))->isAbstract()) {
                $morph = self::morphOf($class);
                if ($morph !== null) {
                    $this->add($morph);
                }
            }
        }
    }

    /**
     * The Tally owner type of a Redis key's type segment: [type, null], or [null, why not].
     *
     * @return array{?string, ?string}
     */
    public function ofSegment(string $segment): array
    {
        return $this->memo["k:$segment"] ??= $this->resolveSegment($segment);
    }

    /**
     * The Tally owner type of a table row's owner_type (null: a global counter, type ''):
     * [type, null], or [null, why not].
     *
     * @return array{?string, ?string}
     */
    public function ofRow(?string $ownerType): array
    {
        if ($ownerType === null) {
            return ['', null];
        }

        return $this->memo["r:$ownerType"] ??= $this->resolveRow($ownerType);
    }

    /** The segment the peer's keys spell a morph class as. */
    public static function segment(string $morphClass): string
    {
        return strtolower(str_replace('\\', '.', $morphClass));
    }

    /** @return array{?string, ?string} */
    private function resolveSegment(string $segment): array
    {
        if (isset($this->ambiguous[$segment])) {
            return [null, 'ambiguous: ' . implode(', ', $this->ambiguous[$segment])];
        }
        if (isset($this->bySegment[$segment])) {
            return [$this->bySegment[$segment], null];
        }
        // As the peer's sync guesses: each dotted part ucfirst'ed, or a model of App\Models.
        $dotted = implode('\\', array_map('ucfirst', explode('.', $segment)));
        foreach ([$dotted, 'App\\Models\\' . ucfirst($segment)] as $class) {
            if (class_exists($class) && is_subclass_of($class, Model::class)) {
                $morph = self::morphOf($class);
                if ($morph !== null && self::segment($morph) === $segment) {
                    return [$morph, null];
                }
            }
        }

        return [null, 'no model or morph map alias of this name (name it with --model)'];
    }

    /** @return array{?string, ?string} */
    private function resolveRow(string $ownerType): array
    {
        if (Relation::getMorphedModel($ownerType) !== null) {
            return [$ownerType, null];
        }
        if (class_exists($ownerType) && is_subclass_of($ownerType, Model::class)) {
            $morph = self::morphOf($ownerType);
            if ($morph !== null) {
                return [$morph, null];
            }
        }

        return [null, 'no model or morph map alias of this name'];
    }

    private function add(string $type): void
    {
        $segment = self::segment($type);
        $known = $this->bySegment[$segment] ?? null;
        if ($known !== null && $known !== $type) {
            $this->ambiguous[$segment] = array_values(array_unique(array_merge($this->ambiguous[$segment] ?? [$known], [$type])));
        }
        $this->bySegment[$segment] ??= $type;
    }

    /** The model's morph class (its alias, or its class), or null when it cannot be made. */
    private static function morphOf(string $class): ?string
    {
        try {
            return (new $class())->getMorphClass();
        } catch (\Throwable) {
            return null;
        }
    }
}
