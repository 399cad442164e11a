<?php

// verifyCounter()/verifyAllCounters(): the exact counter (synced + pending) against its
// declared source, per declared period, in Equal and AtLeast mode, writing nothing.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Support\Carbon;
use PHPUnit\Framework\Attributes\DataProviderExternal;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Tests\Fixtures\AssertsRejections;
use Tally\Laravel\Tests\Fixtures\Comment;
use Tally\Laravel\Tests\Fixtures\Post;
use Tally\Laravel\Tests\Fixtures\User;

final class VerifyTest extends TestCase
{
    use AssertsRejections;

    protected function tearDown(): void
    {
        Carbon::setTestNow();
        parent::tearDown();
    }

    private function migratePosts(): void
    {
        $this->migrateWithOwners();
        Post::createTables($this->app->make('db')->connection()->getSchemaBuilder());
        Carbon::setTestNow(Carbon::parse('2026-03-04 15:00:00', 'UTC'));
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testVerifyComparesTheExactValueWithTheSourcePerPeriod(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter]);
        $this->migratePosts();
        $post = Post::create(['likes' => 2]);
        Comment::create(['post_id' => $post->id, 'created_at' => '2026-03-03 10:00:00']);
        Comment::create(['post_id' => $post->id, 'created_at' => '2026-03-04 10:00:00']);
        $post->incrementCounter('comments', 1, null, '2026-03-03');
        [$code] = $this->artisan('counter:sync');
        $this->assertSame(0, $code);
        $post->incrementCounter('comments', 1, null, '2026-03-04');     // pending: counted too
        $post->incrementCounter('likes', 2);

        $this->assertSame([
            'key' => 'comments', 'mode' => 'equal', 'stored' => 2, 'actual' => 2, 'matches' => true,
            'periods' => ['day' => ['2026-03-04' => ['stored' => 1, 'actual' => 1, 'matches' => true]]],
        ], $post->verifyCounter('comments'));

        $post->incrementCounter('comments', 5, Interval::Day, '2026-03-02');    // that day drifted
        $this->assertSame([
            'key' => 'comments', 'mode' => 'equal', 'stored' => 2, 'actual' => 2, 'matches' => false,
            'periods' => ['day' => [
                '2026-03-02' => ['stored' => 5, 'actual' => 0, 'matches' => false],
                '2026-03-03' => ['stored' => 1, 'actual' => 1, 'matches' => true],
                '2026-03-04' => ['stored' => 1, 'actual' => 1, 'matches' => true],
            ]],
        ], $post->verifyCounter('comments', '2026-03-02', Carbon::parse('2026-03-04')));
        $this->assertSame(5, $post->counter('comments', Interval::Day, '2026-03-02'), 'verify writes nothing');
    }

    public function testAtLeastPassesAboveTheSourceAndVerifyAllCoversEverySource(): void
    {
        $this->migratePosts();
        $post = Post::create(['likes' => 3, 'edits' => 4]);
        $post->incrementCounter('edits', 6);       // edited 6 times; the source sees 4
        $post->incrementCounter('likes', 3);
        $post->incrementCounter('views', 9);       // no source: not verified
        $keys = $this->redisKeys();

        $all = $post->verifyAllCounters();
        $this->assertSame(['comments', 'likes', 'edits'], array_keys($all));
        $this->assertSame(['key' => 'edits', 'mode' => 'at_least', 'stored' => 6, 'actual' => 4, 'matches' => true], $all['edits']);
        $this->assertSame(['key' => 'likes', 'mode' => 'equal', 'stored' => 3, 'actual' => 3, 'matches' => true], $all['likes']);
        $this->assertTrue($all['comments']['matches']);

        $post->update(['edits' => 7]);
        $this->assertSame(['key' => 'edits', 'mode' => 'at_least', 'stored' => 6, 'actual' => 7, 'matches' => false], $post->verifyCounter('edits'));
        $post->update(['likes' => 2]);
        $this->assertFalse($post->verifyCounter('likes')['matches'], 'equal: above the source is a mismatch too');
        $this->assertSame($keys, $this->redisKeys(), 'nothing written');
        $this->assertSame(6, $post->counter('edits'));
    }

    public function testBadInput(): void
    {
        $this->migratePosts();
        $post = Post::create();
        $user = User::create();
        $this->assertEachRejected([
            'no source' => [fn () => $post->verifyCounter('views'), Post::class . " declares no counter 'views' with recountUsing()"],
            'undeclared' => [fn () => $post->verifyCounter('nope'), "declares no counter 'nope'"],
            'not DefinesCounters' => [fn () => $user->verifyCounter('downloads'), User::class . ' does not implement'],
            'not DefinesCounters, all' => [fn () => $user->verifyAllCounters(), User::class . ' does not implement'],
            'bad date' => [fn () => $post->verifyCounter('comments', 'March'), "\$from must be a date 'Y-m-d' or a DateTimeInterface, got 'March'"],
            'reversed' => [fn () => $post->verifyAllCounters('2026-03-05'), 'the recount range starts (2026-03-05) after it ends (2026-03-04)'],
        ]);
    }
}
