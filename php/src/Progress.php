<?php

// The progress of one batch: total, completed and failed ephemeral counters
// ("progress:<batch id>:total|completed|failed"), each expiring ttl seconds after its first
// increment, read together in one round trip.

declare(strict_types=1);

namespace Tally\Laravel;

use Tally\Counter as Engine;
use Tally\InvalidArgumentException;
use Tally\Laravel\Testing\FakeEngine;

final class Progress
{
    private const PARTS = ['total', 'completed', 'failed'];

    public function __construct(
        private readonly Engine|FakeEngine $engine,
        public readonly string $batchId,
        public readonly int $ttl,
    ) {
        if ($batchId === '') {
            throw new InvalidArgumentException('batch id must not be empty');
        }
        if ($ttl < 1 || $ttl > PatternSettings::TTL_MAX) {
            throw new InvalidArgumentException(sprintf('progress ttl must be between 1 and %d seconds, %d given', PatternSettings::TTL_MAX, $ttl));
        }
    }

    /** Adds $items to the total (batches that grow call it again); returns the new total. */
    public function addTotal(int $items): int
    {
        return $this->add('total', $items);
    }

    /** Counts $items completed; returns how many are completed now. */
    public function complete(int $items = 1): int
    {
        return $this->add('completed', $items);
    }

    /** Counts $items failed; returns how many have failed now. */
    public function fail(int $items = 1): int
    {
        return $this->add('failed', $items);
    }

    /** All three counters in one round trip (0 for those not counted yet or expired). */
    public function get(): ProgressStatus
    {
        $values = array_values($this->engine->getKeys(array_map($this->key(...), self::PARTS)));

        return new ProgressStatus($values[0], $values[1], $values[2]);
    }

    /** Deletes the batch's counters; returns how many existed. */
    public function forget(): int
    {
        return $this->engine->deleteKeys(array_map($this->key(...), self::PARTS));
    }

    public function key(string $part): string
    {
        return 'progress:' . $this->batchId . ':' . $part;
    }

    private function add(string $part, int $items): int
    {
        if ($items < 1) {
            throw new InvalidArgumentException("the number of items must be at least 1, $items given");
        }

        return $this->engine->incrementKey($this->key($part), $items, $this->ttl);
    }
}
