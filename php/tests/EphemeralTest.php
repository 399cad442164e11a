<?php

// Tally\Laravel\Ephemeral: TTL counters, per-minute rate buckets and rate over N minutes
// (one round trip), bad input.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\Carbon;
use Tally\Laravel\Ephemeral;
use Tally\Laravel\Tests\Fixtures\AssertsRejections;
use Tally\Laravel\Tests\Fixtures\CommandCalls;

final class EphemeralTest extends TestCase
{
    use AssertsRejections;

    protected function tearDown(): void
    {
        Carbon::setTestNow();
        parent::tearDown();
    }

    public function testIncrementSetsTheTtlOnTheFirstIncrementOnly(): void
    {
        $this->assertSame(1, Ephemeral::increment('label_group_success:5', 1, 3600));
        $this->redis()->expire($this->tallyPrefix() . 'label_group_success:5', 100);
        $this->assertSame(3, Ephemeral::increment('label_group_success:5', 2, 3600));
        $ttl = Ephemeral::ttl('label_group_success:5');
        $this->assertGreaterThan(90, $ttl);
        $this->assertLessThanOrEqual(100, $ttl);

        $this->assertSame(5, Ephemeral::increment('plain', 5));
        $this->assertSame(-1, Ephemeral::ttl('plain'));
        $this->assertSame(-2, Ephemeral::ttl('never'));
        // The key is the plain Redis key <prefix><name>.
        $this->assertSame('3', $this->redis()->get($this->tallyPrefix() . 'label_group_success:5'));
    }

    public function testDecrementReadAndForget(): void
    {
        Ephemeral::increment('remaining:job-1', 10, 3600);
        $this->assertSame(9, Ephemeral::decrement('remaining:job-1'));
        $this->assertSame(6, Ephemeral::decrement('remaining:job-1', 3));
        $this->assertSame(6, Ephemeral::get('remaining:job-1'));
        $this->assertSame(0, Ephemeral::get('missing'));
        $this->assertSame(['remaining:job-1' => 6, 'missing' => 0], Ephemeral::getMany(['remaining:job-1', 'missing']));
        $this->assertSame(1, Ephemeral::forget('remaining:job-1'));
        $this->assertSame(0, Ephemeral::forget(['remaining:job-1', 'missing']));
        $this->assertSame([], $this->redisKeys());
    }

    public function testRateOverTheLastMinutesFromPerMinuteBuckets(): void
    {
        $at = fn (string $time) => Carbon::setTestNow(Carbon::parse($time, 'UTC'));
        $at('2025-03-01 12:00:10');
        Ephemeral::hit('api:calls:F1', 3);
        $at('2025-03-01 12:02:59');
        Ephemeral::hit('api:calls:F1');
        Ephemeral::hit('api:calls:F1');
        $at('2025-03-01 12:04:00');
        $this->assertSame(4, Ephemeral::hit('api:calls:F1', 4));
        Ephemeral::hit('api:calls:F2', 100);

        // One bucket per UTC minute, kept counter.rate_minutes + 1 minutes.
        $bucket = $this->tallyPrefix() . 'rate:api:calls:F1:2025-03-01-12-02';
        $this->assertSame('2', $this->redis()->get($bucket));
        $ttl = $this->redis()->ttl($bucket);
        $this->assertGreaterThan(3600, $ttl);
        $this->assertLessThanOrEqual(3660, $ttl);

        $at('2025-03-01 12:04:30');
        $this->assertSame(4, Ephemeral::rate('api:calls:F1', 1));     // this minute
        $this->assertSame(6, Ephemeral::rate('api:calls:F1', 3));     // 12:02 .. 12:04
        $this->assertSame(6, Ephemeral::rate('api:calls:F1', 4));
        $this->assertSame(9, Ephemeral::rate('api:calls:F1'));        // 5 minutes: 12:00 .. 12:04
        $this->assertSame(9, Ephemeral::rate('api:calls:F1', 60));
        $at('2025-03-01 12:06:00');
        $this->assertSame(6, Ephemeral::rate('api:calls:F1'));        // 12:02 .. 12:06
        $this->assertSame(100, Ephemeral::rate('api:calls:F2'));
    }

    public function testRateIsOneRoundTrip(): void
    {
        Ephemeral::hit('x');
        Ephemeral::rate('x', 30);                                      // the script is loaded
        // One EVALSHA reading the 30 buckets inside the script.
        $this->assertSame(['evalsha' => 1, 'get' => 30], CommandCalls::during($this->redis(), fn () => Ephemeral::rate('x', 30)));
    }

    public function testBadInputThrowsAndWritesNothing(): void
    {
        $this->assertEachRejected([
            'rate minutes 0' => [fn () => Ephemeral::rate('x', 0), 'rate() reads 1 to 60 minutes'],
            'rate beyond kept buckets' => [fn () => Ephemeral::rate('x', 61), '61 asked'],
            'empty rate name' => [fn () => Ephemeral::hit(''), 'rate counter name must not be empty'],
            'zero hit' => [fn () => Ephemeral::hit('x', 0), 'at least 1 event'],
            'negative ttl' => [fn () => Ephemeral::increment('k', 1, -1), 'ttl must be between 0'],
            'absurd ttl' => [fn () => Ephemeral::increment('k', 1, 315360001), 'ttl must be between 0'],
            'empty key' => [fn () => Ephemeral::increment(''), 'ephemeral key must not be empty'],
            'reserved key' => [fn () => Ephemeral::increment('{x}'), "must not contain '{' or '}'"],
            'long key' => [fn () => Ephemeral::get(str_repeat('k', 101)), 'the maximum is 100'],
        ]);
        $this->assertSame([], $this->redisKeys());
    }
}
