<?php

// Tally\Laravel\Counter, the static API: every method, on SQLite :memory: (the PHP sink).

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Tally\Laravel\Counter;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Sync\ConnectionSink;
use Tally\Laravel\Tests\Fixtures\User;

final class CounterTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->migrateWithOwners();
    }

    public function testMemorySqliteUsesTheConnectionSink(): void
    {
        $this->assertInstanceOf(ConnectionSink::class, $this->app->make(CounterManager::class)->sink());
    }

    public function testIncrementDecrementAndGet(): void
    {
        $user = User::create();
        Counter::increment($user, 'downloads');
        Counter::increment($user, 'downloads', 5);
        Counter::decrement($user, 'downloads', 2);
        Counter::decrement($user, 'credits');

        $this->assertSame(4, Counter::get($user, 'downloads'));
        $this->assertSame(-1, Counter::get($user, 'credits'));
        $this->assertSame(0, Counter::get($user, 'never'));
    }

    public function testGetManyKeepsTheOrderAskedAndZeroesMissing(): void
    {
        $user = User::create();
        Counter::increment($user, 'views', 3);
        Counter::increment($user, 'likes', 1);

        $this->assertSame(['likes' => 1, 'nope' => 0, 'views' => 3], Counter::getMany($user, ['likes', 'nope', 'views']));
        $this->assertSame([], Counter::getMany($user, []));
    }

    public function testAllIncludesSyncedAndPendingOnlyCounters(): void
    {
        $user = User::create();
        Counter::increment($user, 'synced', 7);
        [$code] = $this->artisan('counter:sync');
        $this->assertSame(0, $code);
        Counter::increment($user, 'synced', 1);
        Counter::increment($user, 'pending_only', 2);

        $this->assertSame(['pending_only' => 2, 'synced' => 8], Counter::all($user));
        $this->assertSame([], Counter::all(User::create()));
    }

    public function testSetAndResetOverSyncedAndPendingValues(): void
    {
        $user = User::create();
        Counter::increment($user, 'downloads', 10);
        $this->artisan('counter:sync');
        Counter::increment($user, 'downloads', 5);

        Counter::set($user, 'downloads', 1000);
        $this->assertSame(1000, Counter::get($user, 'downloads'));
        $this->artisan('counter:sync');
        $this->assertSame(1000, Counter::get($user, 'downloads'));

        Counter::reset($user, 'downloads');
        $this->assertSame(0, Counter::get($user, 'downloads'));
        $this->artisan('counter:sync');
        $this->assertSame(0, Counter::get($user, 'downloads'));
        $this->assertSame(['downloads' => 0], Counter::all($user));

        Counter::set($user, 'fresh', -3);
        $this->assertSame(-3, Counter::get($user, 'fresh'));
    }

    public function testUnsavedModelIsRejected(): void
    {
        $this->expectException(\Tally\InvalidArgumentException::class);
        $this->expectExceptionMessage('without a primary key value');
        Counter::increment(new User(), 'downloads');
    }

    public function testEmptyKeyIsTheExtensionsTypedError(): void
    {
        $this->expectException(\Tally\InvalidArgumentException::class);
        Counter::increment(User::create(), '');
    }

    public function testNonStringKeyInGetManyIsRejected(): void
    {
        $this->expectException(\Tally\InvalidArgumentException::class);
        $this->expectExceptionMessage('counter keys must be strings or backed enums, got int at index 1');
        Counter::getMany(User::create(), ['a', 5]);
    }

    public function testOverflowIsTheExtensionsTypedError(): void
    {
        $user = User::create();
        Counter::increment($user, 'big', PHP_INT_MAX);
        $this->expectException(\Tally\OverflowException::class);
        try {
            Counter::increment($user, 'big');
        } finally {
            $this->assertSame(PHP_INT_MAX, Counter::get($user, 'big'));
        }
    }
}
