<?php

// What one run of the import moved (rows and keys, per Tally owner type) and what it left
// in place, and why.

declare(strict_types=1);

namespace Tally\Laravel\Import;

final class Report
{
    /** @var array<string,array{rows:int,keys:int}> Tally owner type ('' global) => moved */
    public array $moved = [];
    /** @var list<array{string,string}> [what, why] of every row and key left in place */
    public array $left = [];

    public function moved(string $type, string $what, int $n = 1): void
    {
        $this->moved[$type] ??= ['rows' => 0, 'keys' => 0];
        $this->moved[$type][$what] += $n;
    }

    public function left(string $what, string $why): void
    {
        $this->left[] = [$what, $why];
    }

    public function total(string $what): int
    {
        return array_sum(array_column($this->moved, $what));
    }
}
