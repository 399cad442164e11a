<?php

// The README's "Seed patterns" rewrites of the seeds' examples, run as written there.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\Carbon;
use Tally\Laravel\Ephemeral;
use Tally\Laravel\PathHits;
use Tally\Laravel\RateLimit;

final class SeedExamplesTest extends TestCase
{
    public function testProgressAndTtlCounters(): void
    {
        $groupId = 7;
        $successCount = 0;
        for ($i = 0; $i < 3; $i++) {
            $successCount = Ephemeral::increment("label_group_success:{$groupId}", 1, 3600);
        }
        $this->assertSame(3, $successCount);

        $jobId = 'j1';
        $totalItems = 2;
        Ephemeral::forget("remaining:{$jobId}");
        Ephemeral::increment("remaining:{$jobId}", $totalItems, 3600);
        $this->assertSame(1, Ephemeral::decrement("remaining:{$jobId}"));
        $this->assertSame(0, Ephemeral::decrement("remaining:{$jobId}"));

        Ephemeral::increment("label_group:{$groupId}:success", 1, 3600);
        Ephemeral::increment("label_group:{$groupId}:success", 1, 3600);
        Ephemeral::increment("label_group:{$groupId}:failed", 1, 3600);
        [$success, $failed] = array_values(
            Ephemeral::getMany(["label_group:{$groupId}:success", "label_group:{$groupId}:failed"]));
        $this->assertSame([2, 1], [$success, $failed]);

        // The batch job.
        $batchId = 'b-9';
        $items = range(1, 20);
        $broadcasts = [];
        $progress = Ephemeral::progress($batchId);
        $total = $progress->addTotal(count($items));
        foreach ($items as $item) {
            try {
                if ($item % 7 === 0) {
                    throw new \RuntimeException('bad item');
                }
                $completed = $progress->complete();
                if ($completed % 10 === 0 || $completed === $total) {
                    $broadcasts[] = $completed;
                }
            } catch (\Exception $e) {
                $progress->fail();
            }
        }
        $this->assertSame([10], $broadcasts);
        $status = Ephemeral::progress($batchId)->get();
        $this->assertSame(['total' => 20, 'completed' => 18, 'failed' => 2, 'processed' => 20, 'percent' => 100.0, 'finished' => true],
            $status->toArray());

        Carbon::setTestNow(Carbon::parse('2025-01-01 10:00:30', 'UTC'));
        $facility = 'F7';
        Ephemeral::hit("api:calls:{$facility}");
        Carbon::setTestNow(Carbon::parse('2025-01-01 10:03:05', 'UTC'));
        Ephemeral::hit("api:calls:{$facility}");
        $this->assertSame(2, Ephemeral::rate("api:calls:{$facility}", 5));
        Carbon::setTestNow();
    }

    public function testRateLimitsAndQuotas(): void
    {
        $r = RateLimit::attempt('rate:limit:10.0.0.1', 100, 60);
        $this->assertSame([true, 99], [$r->allowed, $r->remaining]);
        $this->assertSame(['X-RateLimit-Limit' => 100, 'X-RateLimit-Remaining' => 99], $r->headers());

        $email = 'a@example.com';
        for ($i = 0; $i < 6; $i++) {
            $r = RateLimit::attempt("login:{$email}", 5, 900, sliding: true);
        }
        $this->assertFalse($r->allowed);
        $this->assertGreaterThan(890, $r->retryAfter);

        [$userId, $feature, $limit] = [3, 'export', 2];
        $seen = [];
        for ($i = 0; $i < 3; $i++) {
            $seen[] = RateLimit::attempt("feature:usage:{$userId}:{$feature}", $limit, 86400)->allowed;
        }
        $this->assertSame([true, true, false], $seen);
        $this->assertFalse(RateLimit::peek("feature:usage:{$userId}:{$feature}", $limit, 86400)->allowed);
        $this->assertTrue(RateLimit::reset("feature:usage:{$userId}:{$feature}"));

        [$apiKey, $quota, $units] = ['k1', 1000, 250];
        $window = now()->startOfMonth()->addMonth()->getTimestamp() - time();
        $r = RateLimit::attempt('api:usage:' . $apiKey . ':' . now()->format('Y-m'), $quota, $window, cost: $units);
        $this->assertSame(750, $r->remaining);
        $this->assertLessThanOrEqual($window, $r->reset);

        $endpoint = '/api/items';
        $n = Ephemeral::increment("requests:{$endpoint}:" . now()->toDateString(), 1, now()->endOfDay()->getTimestamp() - time() + 1);
        $this->assertSame(1, $n);
        $this->assertLessThanOrEqual(86401, Ephemeral::ttl("requests:{$endpoint}:" . now()->toDateString()));
    }

    public function testPathHits(): void
    {
        $this->migrate();
        PathHits::track('/checking/example-slug');
        PathHits::track('checking', 2);
        $this->artisan('counter:sync');
        PathHits::track('checking');
        $this->assertSame(3, PathHits::hits('checking'));
        $this->assertSame(['checking' => 3, '/checking/example-slug' => 1], PathHits::topPaths(10));

        // The seed's path_counters table as the README's view (SQLite spelling): synced hits.
        $db = $this->app->make('db')->connection();
        $db->statement('CREATE VIEW path_counters AS SELECT "key" AS path, "count" AS hit_count, created_at, updated_at '
            . "FROM model_counters WHERE owner_type = 'Tally\\Laravel\\PathHits' AND owner_id = 'global'");
        $rows = $db->table('path_counters')->orderBy('path')->get()->map(fn ($r) => [$r->path, (int) $r->hit_count])->all();
        $this->assertSame([['/checking/example-slug', 1], ['checking', 2]], $rows);
    }
}
