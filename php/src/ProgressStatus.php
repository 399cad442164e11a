<?php

// One reading of a batch's progress: what Progress::get() returns, ready to broadcast.

declare(strict_types=1);

namespace Tally\Laravel;

use JsonSerializable;

final class ProgressStatus implements JsonSerializable
{
    public function __construct(
        public readonly int $total,
        public readonly int $completed,
        public readonly int $failed,
    ) {
    }

    /** Items done either way. */
    public function processed(): int
    {
        return $this->completed + $this->failed;
    }

    /** Processed items as a percentage of the total, 0 to 100 with one decimal (0 without a total). */
    public function percent(): float
    {
        if ($this->total <= 0) {
            return 0.0;
        }

        return min(100.0, round($this->processed() * 100 / $this->total, 1));
    }

    public function finished(): bool
    {
        return $this->total > 0 && $this->processed() >= $this->total;
    }

    /** @return array{total: int, completed: int, failed: int, processed: int, percent: float, finished: bool} */
    public function toArray(): array
    {
        return [
            'total' => $this->total,
            'completed' => $this->completed,
            'failed' => $this->failed,
            'processed' => $this->processed(),
            'percent' => $this->percent(),
            'finished' => $this->finished(),
        ];
    }

    /** @return array<string,int|float|bool> */
    public function jsonSerialize(): array
    {
        return $this->toArray();
    }
}
