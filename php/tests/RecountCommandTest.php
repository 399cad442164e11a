<?php

// counter:recount {model}: every model or the --id ones, chunked, by class or morph alias,
// periods from --from to --to, a report of what was recounted; bad arguments exit 1 and
// write nothing; a failing source stops the run at that model.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Database\Eloquent\Relations\Relation;
use Illuminate\Support\Carbon;
use PHPUnit\Framework\Attributes\DataProviderExternal;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Tests\Fixtures\Article;
use Tally\Laravel\Tests\Fixtures\Comment;
use Tally\Laravel\Tests\Fixtures\Post;
use Tally\Laravel\Tests\Fixtures\User;

final class RecountCommandTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        Post::$whileCounting = null;
    }

    protected function tearDown(): void
    {
        Post::$whileCounting = null;
        Carbon::setTestNow();
        parent::tearDown();
    }

    /** @return list<Post> three posts with drifted counters: likes 1, 2, 3 and one comment a day from 03-02 */
    private function posts(): array
    {
        $this->migrateWithOwners();
        Post::createTables($this->app->make('db')->connection()->getSchemaBuilder());
        Carbon::setTestNow(Carbon::parse('2026-03-04 15:00:00', 'UTC'));
        $posts = [];
        foreach ([1, 2, 3] as $i) {
            $post = Post::create(['likes' => $i]);
            foreach (['2026-03-02', '2026-03-03', '2026-03-04'] as $day) {
                Comment::create(['post_id' => $post->id, 'created_at' => "$day 12:00:00"]);
            }
            $post->incrementCounter('likes', 50);
            $post->incrementCounter('comments', 50, null, '2026-03-03');
            $posts[] = $post;
        }

        return $posts;
    }

    /** @return list<int> likes, comments, and comments of 03-02, 03-03, 03-04 */
    private function values(Post $post): array
    {
        return [
            $post->counter('likes'), $post->counter('comments'),
            ...array_values($post->counterHistory('comments', Interval::Day, 3, '2026-03-04')),
        ];
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testRecountsEveryModelInChunks(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter]);
        [$a, $b, $c] = $this->posts();
        [$code, $out] = $this->artisan('counter:recount', ['model' => Post::class, '--chunk' => 2, '--from' => '2026-03-03']);
        $this->assertSame(0, $code, $out);
        $this->assertSame([1, 3, 0, 1, 1], $this->values($a), '03-02 is before --from: left as it was (0)');
        $this->assertSame([2, 3, 0, 1, 1], $this->values($b));
        $this->assertSame([3, 3, 0, 1, 1], $this->values($c));
        $this->assertStringContainsString('Recounted 3 ' . Post::class . ' model(s).', $out);
        $this->assertMatchesRegularExpression('/\| comments +\| 3 +\| 6 +\|/', $out, '2 days of periods for each of 3 posts');
        $this->assertMatchesRegularExpression('/\| likes +\| 3 +\| 0 +\|/', $out);
        $this->assertMatchesRegularExpression('/\| edits +\| skipped: verify mode is at_least/', $out);
    }

    public function testIdsAliasAndRange(): void
    {
        Relation::morphMap(['post' => Post::class]);
        [$a, $b, $c] = $this->posts();
        [$code, $out] = $this->artisan('counter:recount', ['model' => 'post', '--id' => [(string) $a->id, (string) $c->id], '--from' => '2026-03-01', '--to' => '2026-03-02']);
        $this->assertSame(0, $code, $out);
        $this->assertSame([1, 3, 1, 50, 0], $this->values($a), 'the periods of 03-01 and 03-02 only');
        $this->assertSame([50, 50, 0, 50, 0], $this->values($b), 'not asked for');
        $this->assertSame([3, 3, 1, 50, 0], $this->values($c));
        $this->assertStringContainsString('Recounted 2 ' . Post::class . ' model(s).', $out);
    }

    public function testAProgressBarOnATerminal(): void
    {
        $this->posts();
        [$code, $out] = $this->artisan('counter:recount', ['model' => Post::class], true);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('3/3', $out);
    }

    public function testBadArgumentsExitOneAndWriteNothing(): void
    {
        [$a] = $this->posts();
        $plain = new class () extends \Illuminate\Database\Eloquent\Model implements \Tally\Laravel\Contracts\DefinesCounters {
            public function counterDefinitions(): array
            {
                return [\Tally\Laravel\CounterDefinition::make('views')];
            }
        };
        $cases = [
            'unknown' => [['model' => 'App\Nope'], "counter:recount: 'App\\Nope' is neither a morph alias nor a model class"],
            'not a model' => [['model' => \stdClass::class], 'counter:recount: stdClass is not an Eloquent model'],
            'no DefinesCounters' => [['model' => User::class], 'counter:recount: ' . User::class . ' does not implement Tally\Laravel\Contracts\DefinesCounters'],
            'nothing recountable' => [['model' => Article::class], Article::class . ' declares no counter to recount: none has recountUsing() with verify mode Equal'],
            'no source at all' => [['model' => $plain::class], 'declares no counter to recount'],
            'chunk' => [['model' => Post::class, '--chunk' => '0'], "--chunk must be a positive whole number, got '0'"],
            'from' => [['model' => Post::class, '--from' => '03/01/2026'], "--from must be a date 'Y-m-d' or a DateTimeInterface, got '03/01/2026'"],
            'reversed' => [['model' => Post::class, '--from' => '2026-03-05', '--to' => '2026-03-01'], 'the recount range starts (2026-03-05) after it ends (2026-03-01)'],
        ];
        foreach ($cases as $case => [$arguments, $message]) {
            [$code, $out] = $this->artisan('counter:recount', $arguments);
            $this->assertSame(1, $code, "$case: $out");
            $this->assertStringContainsString($message, $out, $case);
        }
        $this->assertSame([50, 50, 0, 50, 0], $this->values($a));
    }

    public function testAFailingSourceStopsTheRunAtThatModel(): void
    {
        [$a, $b, $c] = $this->posts();
        Post::$whileCounting = static function (Post $post) use ($b): void {
            if ($post->is($b)) {
                throw new \RuntimeException('the comments table is locked');
            }
        };
        [$code, $out] = $this->artisan('counter:recount', ['model' => Post::class]);
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString('counter:recount stopped at ' . Post::class . " #$b->id (its counters are unchanged; 1 model(s) before it were recounted): the comments table is locked", $out);
        $this->assertSame([1, 3, 0, 50, 1], $this->values($a));
        $this->assertSame([50, 50, 0, 50, 0], $this->values($b), 'none of its counters changed, likes neither');
        $this->assertSame([50, 50, 0, 50, 0], $this->values($c));
    }
}
