<?php

// Listing pages without N+1: Counter::getForMany(), $collection->loadCounters() (then
// $model->counter() without I/O), exact top lists (Counter::top(), topModels(),
// PathHits::topPaths()) on every database.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Database\Eloquent\Collection;
use Illuminate\Support\Carbon;
use PHPUnit\Framework\Attributes\DataProviderExternal;
use Tally\Counter as Engine;
use Tally\InvalidArgumentException;
use Tally\Laravel\Counter;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Enums\Interval;
use Tally\Laravel\PathHits;
use Tally\Laravel\Tests\Fixtures\Article;
use Tally\Laravel\Tests\Fixtures\ArticleCounter;
use Tally\Laravel\Tests\Fixtures\User;

final class ManyOwnersTest extends TestCase
{
    protected function tearDown(): void
    {
        Carbon::setTestNow();
        parent::tearDown();
    }

    /** Another process's engine on the same Redis and prefix: writes the models cannot see. */
    private function elsewhere(): Engine
    {
        return $this->app->make(CounterManager::class)->engine();
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testGetForManyAndLoadCounters(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter + ['timezone' => 'UTC']]);
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-12-02 10:00:00', 'UTC'));
        $users = collect(range(1, 5))->map(fn () => User::create());
        [$u1, $u2, $u3, $u4, $u5] = $users->all();
        $u1->incrementCounter('downloads', 5);
        $u2->incrementCounter('downloads', 7);
        $u2->incrementCounter('likes', 2);
        $u3->incrementCounter('downloads', 1, Interval::Day);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $u1->incrementCounter('downloads', 10);                 // pending on top of the synced 5
        $u4->incrementCounter('downloads', 3);                  // pending only
        $u3->incrementCounter('downloads', 2, Interval::Day);

        $expected = [
            $u1->id => ['downloads' => 15, 'likes' => 0],
            $u2->id => ['downloads' => 7, 'likes' => 2],
            $u3->id => ['downloads' => 0, 'likes' => 0],
            $u4->id => ['downloads' => 3, 'likes' => 0],
            $u5->id => ['downloads' => 0, 'likes' => 0],
        ];
        $this->assertSame($expected, Counter::getForMany($users, ['downloads', 'likes']));
        $this->assertSame([$u3->id => ['downloads' => 3], $u1->id => ['downloads' => 0]], Counter::getForMany([$u3, $u1], ['downloads'], Interval::Day));
        $this->assertSame([], Counter::getForMany([], ['downloads']));

        $fresh = User::query()->orderBy('id')->get();
        $this->assertSame($fresh, $fresh->loadCounters(['downloads', ArticleCounter::Views]));
        $fresh->loadCounters(['downloads'], Interval::Day);
        // Written behind the models' backs: loaded values are a snapshot, served without I/O.
        $this->elsewhere()->increment(User::class, (string) $u2->id, 'downloads', 1000);
        $this->elsewhere()->increment(User::class, (string) $u3->id, 'downloads', 1000, ['day'], '2026-12-02');
        $this->assertSame([15, 7, 0, 3, 0], $fresh->map(fn (User $u) => $u->counter('downloads'))->all());
        $this->assertSame([0, 0, 0, 0, 0], $fresh->map(fn (User $u) => $u->counter('views'))->all());
        $this->assertSame(3, $fresh[2]->counter('downloads', Interval::Day));
        $this->assertSame(3, $fresh[2]->counter('downloads', Interval::Day, '2026-12-02'));
        // Not loaded: read as usual (the other day, the lifetime counter of another key).
        $this->assertSame(0, $fresh[2]->counter('downloads', Interval::Day, '2026-12-01'));
        $this->assertSame(2, $fresh[1]->counter('likes'));
        // A write through the model drops its loaded value of that key.
        $fresh[1]->incrementCounter('downloads');
        $this->assertSame(1008, $fresh[1]->counter('downloads'));
        $this->assertSame(0, $fresh[1]->counter('views'));
        $fresh[2]->setCounter('downloads', 50, Interval::Day);
        $this->assertSame(50, $fresh[2]->counter('downloads', Interval::Day));

        // A mixed collection: one read per owner type.
        $article = Article::create();
        $article->incrementCounter(ArticleCounter::Views, 4);
        $mixed = new Collection([$fresh[0], $article]);
        $mixed->loadCounters(['views', 'downloads']);
        $this->elsewhere()->increment($article->getMorphClass(), (string) $article->id, 'views', 1000);
        $this->assertSame([4, 0], [$article->counter('views'), $article->counter('downloads')]);
        $this->assertSame(0, $fresh[0]->counter('views'));
        $one = User::find($u2->id)->loadCounters(['likes']);
        $this->assertSame(2, $one->counter('likes'));
    }

    #[DataProviderExternal(DatabasesTest::class, 'databases')]
    public function testTopIsExact(string $db, string $sinkClass, ?string $driver, array $counter = []): void
    {
        $this->useDatabase($db, ['counter' => $counter + ['timezone' => 'UTC']]);
        $this->migrateWithOwners();
        Carbon::setTestNow(Carbon::parse('2026-12-02 10:00:00', 'UTC'));
        $u = collect(range(1, 5))->map(fn () => User::create())->all();
        foreach ([10, 20, 30, 40] as $i => $n) {
            $u[$i]->incrementCounter('downloads', $n);
            $u[$i]->incrementCounter('downloads', $n, Interval::Month);
        }
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $u[0]->incrementCounter('downloads', 100);        // pending: 110, first now
        $u[3]->decrementCounter('downloads', 35);         // pending: 5, last now
        $u[4]->incrementCounter('likes', 1);              // pending for another key only

        $this->assertSame([$u[0]->id => 110, $u[2]->id => 30, $u[1]->id => 20], Counter::top(User::class, 'downloads', 3));
        $this->assertSame([$u[0]->id => 110, $u[2]->id => 30, $u[1]->id => 20, $u[3]->id => 5], Counter::top(User::class, 'downloads', 10));
        $this->assertSame([$u[3]->id => 40, $u[2]->id => 30], Counter::top(User::class, 'downloads', 2, Interval::Month));
        $this->assertSame([], Counter::top(User::class, 'downloads', 2, Interval::Month, '2026-11-15'));
        $this->assertSame([$u[4]->id => 1], Counter::top(User::class, 'likes'));
        $models = Counter::topModels(User::class, 'downloads', 2);
        $this->assertSame([$u[0]->id, $u[2]->id], $models->modelKeys());
        $this->elsewhere()->increment(User::class, (string) $u[0]->id, 'downloads', 1);
        $this->assertSame(110, $models[0]->counter('downloads'));     // loaded with its rank

        PathHits::track('/a', 3);
        PathHits::track('/b', 1);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        PathHits::track('/b', 5);
        PathHits::track('/c', 2);
        $this->assertSame(['/b' => 6, '/a' => 3], PathHits::topPaths(2));
        $this->assertSame(['/b' => 6, '/a' => 3, '/c' => 2], PathHits::topPaths());
    }

    /** @param class-string<\Throwable> $class */
    private function assertRefused(\Closure $call, string $class, string $message): void
    {
        try {
            $call();
        } catch (\Throwable $e) {
            $this->assertInstanceOf($class, $e, $e->getMessage());
            $this->assertStringContainsString($message, $e->getMessage());

            return;
        }
        $this->fail("no $class thrown: expected '$message'");
    }

    public function testBadInput(): void
    {
        $this->useDatabase('sqlite');
        $this->migrateWithOwners();
        $user = User::create();
        $this->assertRefused(fn () => Counter::getForMany([$user, 'x'], ['downloads']), InvalidArgumentException::class, 'getForMany() reads models, got string at index 1');
        $this->assertRefused(fn () => Counter::getForMany([$user, Article::create()], ['downloads']), InvalidArgumentException::class, 'getForMany() reads owners of one type');
        $this->assertRefused(fn () => Counter::getForMany([$user], [1]), InvalidArgumentException::class, 'counter keys must be strings or backed enums, got int at index 0');
        $this->assertRefused(fn () => Counter::getForMany([new User()], ['downloads']), InvalidArgumentException::class, 'without a primary key value');
        $this->assertRefused(fn () => (new Collection([$user, 'x']))->loadCounters(['downloads']), InvalidArgumentException::class, 'loadCounters() loads onto models using');
        $this->assertRefused(fn () => Counter::top(User::class, 'downloads', 0), InvalidArgumentException::class, 'limit must be 1 to 10000, got 0');
        $this->assertRefused(fn () => Counter::top(\stdClass::class, 'downloads'), InvalidArgumentException::class, 'stdClass is not an Eloquent model');
        $this->assertRefused(fn () => Counter::top('', 'downloads'), InvalidArgumentException::class, 'top() needs a model class or morph alias');
        $this->assertRefused(fn () => Counter::top(User::class, ''), InvalidArgumentException::class, 'counter key must not be empty');
        $this->assertRefused(fn () => Counter::top(User::class, 'downloads', 5, Interval::Day, 'soon'), InvalidArgumentException::class, "\$period must be a date 'Y-m-d'");
        $this->assertRefused(fn () => Counter::topModels('users', 'downloads'), InvalidArgumentException::class, "topModels() needs an Eloquent model class, got 'users'");
        $this->assertSame(0, $user->counter('downloads'));
    }
}
