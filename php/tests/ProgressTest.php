<?php

// Tally\Laravel\Progress and ProgressStatus: a batch's total, completed and failed counters
// with a TTL, read in one round trip; percent and finished; bad input.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Tally\Laravel\Ephemeral;
use Tally\Laravel\ProgressStatus;
use Tally\Laravel\Tests\Fixtures\AssertsRejections;
use Tally\Laravel\Tests\Fixtures\CommandCalls;

final class ProgressTest extends TestCase
{
    use AssertsRejections;

    public function testCountsAndReadsABatch(): void
    {
        $progress = Ephemeral::progress('import-42');
        $this->assertSame(10, $progress->addTotal(10));
        for ($i = 1; $i <= 7; $i++) {
            $i % 3 === 0 ? $progress->fail() : $progress->complete();
        }
        $this->assertSame(6, $progress->complete(1));

        $status = $progress->get();
        $this->assertSame([10, 6, 2, 8, 80.0, false], [$status->total, $status->completed, $status->failed,
            $status->processed(), $status->percent(), $status->finished()]);
        $this->assertSame(
            '{"total":10,"completed":6,"failed":2,"processed":8,"percent":80.0,"finished":false}',
            json_encode($status, JSON_PRESERVE_ZERO_FRACTION)
        );
        $progress->complete(2);
        $this->assertTrue($progress->get()->finished());
        $this->assertSame(100.0, $progress->get()->percent());

        // Plain keys with the configured TTL (counter.progress_ttl, 7200 s by default).
        $this->assertSame(
            ['progress:import-42:completed', 'progress:import-42:failed', 'progress:import-42:total'],
            array_map(fn ($k) => substr($k, strlen('counter:testing:')), $this->redisKeys())
        );
        foreach (['total', 'completed', 'failed'] as $part) {
            $ttl = Ephemeral::ttl("progress:import-42:$part");
            $this->assertGreaterThan(7100, $ttl);
            $this->assertLessThanOrEqual(7200, $ttl);
        }
        $this->assertSame(3, $progress->forget());
        $this->assertSame([0, 0, 0], [$progress->get()->total, $progress->get()->completed, $progress->get()->failed]);
    }

    public function testTtlFromConfigOrArgument(): void
    {
        $this->reboot(['counter' => ['progress_ttl' => 600]]);
        Ephemeral::progress('a')->complete();
        Ephemeral::progress('b', 30)->complete();
        $this->assertLessThanOrEqual(600, Ephemeral::ttl('progress:a:completed'));
        $this->assertGreaterThan(500, Ephemeral::ttl('progress:a:completed'));
        $this->assertLessThanOrEqual(30, Ephemeral::ttl('progress:b:completed'));
        $this->assertSame(600, Ephemeral::progress('c')->ttl);
    }

    public function testReadingIsOneRoundTrip(): void
    {
        $progress = Ephemeral::progress('rt');
        $progress->addTotal(3);
        $progress->get();
        // One EVALSHA; the three GETs run inside the script.
        $this->assertSame(['evalsha' => 1, 'get' => 3], CommandCalls::during($this->redis(), fn () => $progress->get()));
    }

    public function testPercentEdges(): void
    {
        $this->assertSame(0.0, (new ProgressStatus(0, 5, 0))->percent());
        $this->assertFalse((new ProgressStatus(0, 5, 0))->finished());
        $this->assertSame(33.3, (new ProgressStatus(3, 1, 0))->percent());
        $this->assertSame(100.0, (new ProgressStatus(3, 4, 1))->percent());
    }

    public function testBadInputThrowsAndWritesNothing(): void
    {
        $this->assertEachRejected([
            'empty batch id' => [fn () => Ephemeral::progress(''), 'batch id must not be empty'],
            'zero ttl' => [fn () => Ephemeral::progress('b', 0), 'progress ttl must be between 1 and 315360000 seconds, 0 given'],
            'absurd ttl' => [fn () => Ephemeral::progress('b', 315360001), 'progress ttl must be between 1'],
            'zero items' => [fn () => Ephemeral::progress('b')->addTotal(0), 'at least 1, 0 given'],
            'negative items' => [fn () => Ephemeral::progress('b')->complete(-2), 'at least 1, -2 given'],
            'long batch id' => [fn () => Ephemeral::progress(str_repeat('b', 100))->fail(), 'the maximum is 100'],
        ]);
        $this->assertSame([], $this->redisKeys());
    }
}
