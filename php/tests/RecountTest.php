<?php

// Recounting from the source: Counter::recount()/recountPeriods(), HasCounters'
// recountCounter(), recountCounterPeriods() and recountAllCounters() over declared sources,
// on every database; increments racing a recount (the source callback increments, as a
// concurrent request would) are kept; bad input writes nothing.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Carbon\Carbon;
use PHPUnit\Framework\Attributes\DataProviderExternal;
use Tally\Laravel\Counter;
use Tally\Laravel\CounterDefinition;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Tests\Fixtures\Article;
use Tally\Laravel\Tests\Fixtures\AssertsRejections;
use Tally\Laravel\Tests\Fixtures\Comment;
use Tally\Laravel\Tests\Fixtures\Post;
use Tally\Laravel\Tests\Fixtures\User;

final class RecountTest extends TestCase
{
    use AssertsRejections;

    protected function setUp(): void
    {
        parent::setUp();
        Post::$whileCounting = null;
    }

    protected function tearDown(): void
    {
        Post::$whileCounting = null;
        \Illuminate\Support\Carbon::setTestNow();
        parent::tearDown();
    }

    private function migratePosts(): void
    {
        $this->migrateWithOwners();
        Post::createTables($this->app->make('db')->connection()->getSchemaBuilder());
    }

    private function sync(): void
    {
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testRecountReplacesSyncedAndPendingWithTheSourceAndSyncsAsAnIncrement(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter]);
        $this->migratePosts();
        $user = User::create();
        $user->incrementCounter('downloads', 5);
        $this->sync();
        $user->incrementCounter('downloads', 3);          // pending on top of the synced 5

        $this->assertSame(4, $user->recountCounter('downloads', fn () => 4));
        $this->assertSame(4, $user->counter('downloads'));
        $this->sync();
        $this->assertSame([User::class . "|$user->id|downloads" => 4], $this->syncedRows());
        $this->assertSame(4, $user->counter('downloads'));

        $this->assertSame(0, Counter::recount($user, 'downloads', fn () => 0));
        $this->assertSame(7, Counter::recount(null, 'signups', fn () => 7), 'a global counter');
        $this->sync();
        $this->assertSame(['||signups' => 7, User::class . "|$user->id|downloads" => 0], $this->syncedRows());
        $this->assertSame(7, Counter::getGlobal('signups'));
    }

    public function testAnIncrementThatRacesTheRecountIsKept(): void
    {
        $this->migratePosts();
        $user = User::create();
        $user->incrementCounter('downloads', 10);
        $this->sync();

        // The exact value (10) is read before the source: a request that increments while
        // the source is being counted, for a change the source does not see (committed after
        // its read), lands on top of the recount.
        $value = $user->recountCounter('downloads', function () use ($user): int {
            $user->incrementCounter('downloads', 2);

            return 6;
        });
        $this->assertSame(6, $value, 'the source count');
        $this->assertSame(8, $user->counter('downloads'), '6 from the source + the 2 that raced it');
        $this->sync();
        $this->assertSame(8, $user->counter('downloads'));

        // And the documented window: a change the source already sees, whose increment
        // reaches Redis after the exact read, is counted twice.
        $post = Post::create();
        Comment::create(['post_id' => $post->id, 'created_at' => '2026-03-01 10:00:00']);
        $post->incrementCounter('comments');
        $this->assertSame(2, $post->recountCounter('comments', function () use ($post): int {
            Comment::create(['post_id' => $post->id, 'created_at' => '2026-03-01 11:00:00']);
            $post->incrementCounter('comments');

            return $post->comments()->count();
        }));
        $this->assertSame(3, $post->counter('comments'), 'source 2 + its own increment again: the window');
    }

    public function testTheRaceThroughADeclaredSource(): void
    {
        $this->migratePosts();
        $post = Post::create();
        $post->incrementCounter('comments', 9);           // drifted: there is no comment
        Post::$whileCounting = static function (Post $p): void {
            Post::$whileCounting = null;
            $p->incrementCounter('comments', 4);           // a request between the two reads
        };
        $this->assertSame(['comments' => 0, 'likes' => 0, 'edits' => ['skipped' => true, 'reason' => 'verify mode is at_least: a cumulative count its source cannot rebuild']], $this->withoutPeriods($post->recountAllCounters()));
        $this->assertSame(4, $post->counter('comments'));
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testRecountPeriodsKeysByPeriodStartOldestFirst(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter]);
        $this->migratePosts();
        \Illuminate\Support\Carbon::setTestNow(\Illuminate\Support\Carbon::parse('2026-03-04 15:00:00', 'UTC'));
        $user = User::create();
        $user->incrementCounter('logins', 3, Interval::Day, '2026-03-03');
        $this->sync();
        $user->incrementCounter('logins', 1, Interval::Day, '2026-03-03');

        $seen = [];
        $result = $user->recountCounterPeriods('logins', Interval::Day, function (Carbon $start, Carbon $end) use (&$seen): int {
            $seen[] = $start->format('Y-m-d H:i:s.u') . ' - ' . $end->format('Y-m-d H:i:s.u');

            return (int) $start->format('d') * 10;
        }, 3);
        $this->assertSame(['2026-03-02' => 20, '2026-03-03' => 30, '2026-03-04' => 40], $result);
        $this->assertSame([
            '2026-03-02 00:00:00.000000 - 2026-03-02 23:59:59.999999',
            '2026-03-03 00:00:00.000000 - 2026-03-03 23:59:59.999999',
            '2026-03-04 00:00:00.000000 - 2026-03-04 23:59:59.999999',
        ], $seen);
        $this->assertSame(['2026-03-02' => 20, '2026-03-03' => 30, '2026-03-04' => 40], $user->counterHistory('logins', Interval::Day, 3));
        $this->assertSame(0, $user->counter('logins'), 'the lifetime counter is not a period');

        $this->assertSame(['2026-01-01' => 5], Counter::recountPeriods($user, 'logins', Interval::Month, fn () => 5, 1, '2026-01-31'));
        $this->sync();
        $this->assertSame(5, $user->counter('logins', Interval::Month, '2026-01-15'));
        $this->assertSame(['2026-03-02' => 20, '2026-03-03' => 30, '2026-03-04' => 40], $user->counterHistory('logins', Interval::Day, 3));
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testRecountAllCountersRecountsEveryDeclaredSource(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter]);
        $this->migratePosts();
        \Illuminate\Support\Carbon::setTestNow(\Illuminate\Support\Carbon::parse('2026-03-04 15:00:00', 'UTC'));
        $first = Post::create(['likes' => 3, 'edits' => 5]);
        $post = Post::create(['likes' => 11, 'edits' => 2]);
        foreach (['2026-03-01 09:00:00', '2026-03-03 10:00:00', '2026-03-03 23:59:59', '2026-03-04 00:00:00'] as $at) {
            Comment::create(['post_id' => $post->id, 'created_at' => $at]);
        }
        Comment::create(['post_id' => $first->id, 'created_at' => '2026-03-03 12:00:00']);
        $post->incrementCounter('edits', 7);
        $post->incrementCounter('views', 100);
        $post->incrementCounter('comments', 1, null, '2026-03-03');     // drifted: lifetime 1, day 1

        $this->assertSame(['comments' => 1, 'likes' => 3], $this->withoutPeriods($first->recountAllCounters(), ['comments', 'likes']));
        $this->assertSame([
            'comments' => ['lifetime' => 4, 'periods' => ['day' => ['2026-03-02' => 0, '2026-03-03' => 2, '2026-03-04' => 1]]],
            'likes' => 11,               // its $this-closure counts the post in hand, not the first one read
            'edits' => ['skipped' => true, 'reason' => 'verify mode is at_least: a cumulative count its source cannot rebuild'],
        ], $post->recountAllCounters('2026-03-02', Carbon::parse('2026-03-04 08:00')));
        $this->sync();
        $this->assertSame(
            [4, 11, 7, 100, 0, 2, 1],
            [
                $post->counter('comments'), $post->counter('likes'), $post->counter('edits'), $post->counter('views'),
                $post->counter('comments', Interval::Day, '2026-03-02'), $post->counter('comments', Interval::Day, '2026-03-03'),
                $post->counter('comments', Interval::Day, '2026-03-04'),
            ]
        );
        $this->assertSame(0, $post->counter('comments', Interval::Day, '2026-03-01'), 'outside the range: untouched');

        // No range: today's period alone.
        $this->assertSame(['lifetime' => 4, 'periods' => ['day' => ['2026-03-04' => 1]]], $post->recountAllCounters()['comments']);
    }

    public function testBadInputThrowsAndWritesNothing(): void
    {
        $this->migratePosts();
        \Illuminate\Support\Carbon::setTestNow(\Illuminate\Support\Carbon::parse('2026-03-04 15:00:00', 'UTC'));
        $user = User::create();
        $user->incrementCounter('downloads', 2);
        $post = Post::create();
        $article = Article::create();
        $days = 0;
        $ghost = new Post(['id' => 99, 'likes' => null]);
        $ghost->incrementCounter('comments', 5);
        $this->assertEachRejected([
            'not an int' => [fn () => $user->recountCounter('downloads', fn () => '5'), "the recount of counter 'downloads' must count an int, got string"],
            'a period not an int' => [fn () => $user->recountCounterPeriods('downloads', Interval::Day, function () use (&$days) {
                return ++$days === 2 ? 2.5 : 1;
            }, 3), "the recount of counter 'downloads' must count an int, got float"],
            'no periods' => [fn () => $user->recountCounterPeriods('downloads', Interval::Day, fn () => 1, 0), 'recountPeriods() $periods must be 1 to 1000 periods, 0 given'],
            'empty key' => [fn () => $user->recountCounter('', fn () => 1), 'counter key must not be empty'],
            'a gauge' => [fn () => $article->recountCounter('followers', fn () => 1), "counter 'followers' is declared a gauge"],
            'bad date' => [fn () => $user->recountCounter('downloads', fn () => 1, Interval::Day, '2026-13-01'), "\$periodStart must be a date 'Y-m-d'"],
            'not DefinesCounters' => [fn () => $user->recountAllCounters(), User::class . ' does not implement Tally\Laravel\Contracts\DefinesCounters'],
            'range reversed' => [fn () => $post->recountAllCounters('2026-03-04', '2026-03-01'), 'the recount range starts (2026-03-04) after it ends (2026-03-01)'],
            'range too long' => [fn () => $post->recountAllCounters('2020-01-01', '2026-03-01'), 'the recount range 2020-01-01 to 2026-03-01 holds more than 1000 day periods'],
            'a source returning null' => [fn () => $ghost->recountAllCounters(), "the recountUsing() callback of counter 'likes' on " . Post::class . ' returned null, not an int'],
        ]);
        $user->incrementCounter('credits', -1);
        $this->assertEachRejected([
            'overflow of the difference' => [fn () => Counter::recount($user, 'credits', fn () => PHP_INT_MAX), "cannot set counter 'credits' from -1 to " . PHP_INT_MAX],
        ]);
        $this->assertSame(2, $user->counter('downloads'));
        $this->assertSame([0, 0, 0], array_values($user->counterHistory('downloads', Interval::Day, 3)), 'no period was written');
        $this->assertSame(-1, $user->counter('credits'));
        $this->assertSame(0, $post->counter('comments'));
        $this->assertSame(5, $ghost->counter('comments'), 'declared before likes, whose source failed: not written either');
    }

    public function testTheRelationMacroRecountsTheParentsCounterFromTheRelation(): void
    {
        $this->migratePosts();
        \Illuminate\Support\Carbon::setTestNow(\Illuminate\Support\Carbon::parse('2026-03-04 15:00:00', 'UTC'));
        $post = Post::create();
        $other = Post::create();
        foreach (['2026-03-03 10:00:00', '2026-03-04 09:00:00', '2026-03-04 10:00:00'] as $at) {
            Comment::create(['post_id' => $post->id, 'created_at' => $at]);
        }
        Comment::create(['post_id' => $other->id, 'created_at' => '2026-03-04 10:00:00']);
        $post->incrementCounter('comments', 10);

        $this->assertSame(3, $post->comments()->recount());
        $this->assertSame(3, $post->counter('comments'), 'the key defaults to the related table');
        $this->assertSame(['2026-03-03' => 1, '2026-03-04' => 2], $post->comments()->recount('replies', Interval::Day, 2));
        $this->assertSame(['2026-03-03' => 1, '2026-03-04' => 2], $post->counterHistory('replies', Interval::Day, 2));
        $this->assertSame(['2026-03-01' => 3], $post->comments()->recount('replies', Interval::Month, 1, '2026-03-31'));
        $this->assertSame(1, $other->comments()->recount(), 'its own comments only');
        $this->assertSame([1, 3], [$other->counter('comments'), $post->counter('comments')]);
        $this->assertEachRejected([
            'parent without HasCounters' => [fn () => Comment::query()->first()->post()->recount(), 'recount(): ' . Comment::class . ', the parent of this relation, does not use Tally\Laravel\Traits\HasCounters'],
        ]);
    }

    public function testAGaugeWithASourceIsRefused(): void
    {
        $this->migratePosts();
        $gauge = new class () extends \Illuminate\Database\Eloquent\Model implements \Tally\Laravel\Contracts\DefinesCounters {
            use \Tally\Laravel\Traits\HasCounters;

            protected $table = 'users';
            public $timestamps = false;

            public function counterDefinitions(): array
            {
                return [CounterDefinition::make('followers')->gauge()->recountUsing(fn () => 1)];
            }
        };
        $model = $gauge->newQuery()->create();
        $this->assertEachRejected([
            'recount' => [fn () => $model->recountAllCounters(), "counter 'followers' of " . $model::class . ' is a gauge with recountUsing()'],
            'verify' => [fn () => $model->verifyAllCounters(), 'is a gauge with recountUsing()'],
        ]);
    }

    /**
     * recountAllCounters() results with each periods counter reduced to its lifetime count.
     *
     * @param list<string>|null $keys only these
     */
    private function withoutPeriods(array $results, ?array $keys = null): array
    {
        $out = [];
        foreach ($results as $key => $result) {
            if ($keys === null || in_array($key, $keys, true)) {
                $out[$key] = is_array($result) && isset($result['lifetime']) ? $result['lifetime'] : $result;
            }
        }

        return $out;
    }
}
