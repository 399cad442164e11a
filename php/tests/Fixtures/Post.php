<?php

// An owner whose counters can be recounted from their sources: comments (lifetime + day,
// from its comments), likes (a column, read through $this as rejoose/model-counter writes
// it), edits (AtLeast: never recounted), views (no source).

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

use Carbon\Carbon;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\HasMany;
use Illuminate\Database\Schema\Builder;
use Tally\Laravel\Contracts\DefinesCounters;
use Tally\Laravel\CounterDefinition;
use Tally\Laravel\Enums\CounterVerifyMode;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\Traits\HasCounters;

final class Post extends Model implements DefinesCounters
{
    use HasCounters;

    /** @var (\Closure(Post): void)|null runs inside the comments source, before it counts: a request racing the recount */
    public static ?\Closure $whileCounting = null;

    protected $table = 'posts';
    protected $guarded = [];
    protected $attributes = ['likes' => 0, 'edits' => 0];
    public $timestamps = false;

    /** The posts and comments tables, on $schema's connection. */
    public static function createTables(Builder $schema): void
    {
        $schema->create('posts', function ($t): void {
            $t->id();
            $t->integer('likes')->default(0);
            $t->integer('edits')->default(0);
        });
        $schema->create('comments', function ($t): void {
            $t->id();
            $t->unsignedBigInteger('post_id');
            $t->dateTime('created_at');
        });
    }

    /** @return HasMany<Comment, $this> */
    public function comments(): HasMany
    {
        return $this->hasMany(Comment::class);
    }

    public function counterDefinitions(): array
    {
        return [
            CounterDefinition::make('comments')->interval(Interval::Day)
                ->recountUsing(static function (Post $post, ?Carbon $start = null, ?Carbon $end = null): int {
                    if (self::$whileCounting !== null) {
                        (self::$whileCounting)($post);
                    }

                    return $post->comments()
                        ->when($start !== null, fn ($q) => $q->whereBetween('created_at', [$start, $end]))
                        ->count();
                }),
            CounterDefinition::make('likes')->recountUsing(fn () => $this->likes),
            CounterDefinition::make('edits')->recountUsing(fn (Post $post): int => $post->edits)->verifyMode(CounterVerifyMode::AtLeast),
            CounterDefinition::make('views'),
        ];
    }
}
