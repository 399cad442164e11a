<?php

// php artisan counter:sync with a counter the database rejects, and counter:failed: listing
// and re-queueing set-aside counters; keys that are not Tally's left alone.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Database\Eloquent\Relations\Relation;
use PHPUnit\Framework\Attributes\DataProvider;
use Symfony\Component\Console\Output\OutputInterface;
use Tally\Laravel\Models\ModelCounter;
use Tally\Laravel\Tests\Fixtures\Document;
use Tally\Laravel\Tests\Fixtures\User;

final class FailedCountersTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->migrateWithOwners();
        Relation::morphMap(['user' => User::class, 'document' => Document::class]);
    }


    /**
     * The native sinks, and ConnectionSink (a Tally\NarrowingSink) on SQLite :memory: and
     * PostgreSQL: each tells a rejected row from a failure.
     *
     * @return array<string,array{string}>
     */
    public static function databases(): array
    {
        return [
            'native (sqlite file)' => ['sqlite-file'],
            'native (mariadb)' => ['mariadb'],
            'php sink (sqlite :memory:)' => ['sqlite'],
            'php sink (pgsql)' => ['pgsql'],
        ];
    }

    #[DataProvider('databases')]
    public function testARejectedCounterIsSetAsideNamedAndRetriedOnce(string $db): void
    {
        $this->useDatabase($db);
        $this->migrateWithOwners();
        $user = User::create();
        $other = User::create();
        $user->incrementCounter('views', PHP_INT_MAX - 1);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);

        // +5 cannot be stored on top: set aside; the rest, the same owner's other counter too, syncs.
        $user->incrementCounter('views', 5);
        $user->incrementCounter('downloads', 2);
        $other->incrementCounter('views', 3);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString("counter 'views' of user #$user->id (delta 5) set aside, kept in Redis until retried: ", $out);
        $this->assertStringContainsString('1 counter(s) set aside: kept in Redis and still counted, not written.', $out);
        $this->assertMatchesRegularExpression('/errors\s*\|\s*set aside\s*\|/', $out);
        $this->assertSame([
            "user|$user->id|downloads" => 2,
            "user|$user->id|views" => PHP_INT_MAX - 1,
            "user|$other->id|views" => 3,
        ], $this->syncedRows());
        $this->assertSame(['counter:testing:{user:' . $user->id . '}:f'], $this->redisKeys());

        // Listed, by owner and key, with its delta; listing changes nothing.
        [$code, $out] = $this->artisan('counter:failed');
        $this->assertSame(0, $code, $out);
        $this->assertMatchesRegularExpression('/\|\s*user\s*\|\s*' . $user->id . '\s*\|\s*views\s*\|\s*5\s*\|/', $out);
        $this->assertStringContainsString('1 counter(s) set aside. Fix the cause, then run counter:failed --retry.', $out);
        [$code, $out] = $this->artisan('counter:failed', ['--pattern' => 'document']);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('No counters are set aside.', $out);

        // A second sync writes nothing twice.
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame(PHP_INT_MAX - 1, $this->syncedRows()["user|$user->id|views"]);

        // The cause fixed, re-queued, synced exactly once.
        ModelCounter::query()->where('owner_id', (string) $user->id)->where('key', 'views')->update(['count' => 10]);
        [$code, $out] = $this->artisan('counter:failed', ['--retry' => true, '--pattern' => 'user']);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('1 counter(s) put back into pending: the next counter:sync writes them.', $out);
        $this->assertSame(['counter:testing:{user:' . $user->id . '}'], $this->redisKeys());
        $this->assertSame(15, $user->counter('views'));
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame(15, $this->syncedRows()["user|$user->id|views"]);
        $this->assertSame(15, $user->counter('views'));
        $this->assertSame([], $this->redisKeys());
        [$code, $out] = $this->artisan('counter:failed', ['--retry' => true]);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('No counters are set aside.', $out);
    }

    /** @return array<string,array{string}> the connections counter:sync writes through ConnectionSink */
    public static function phpSinks(): array
    {
        return ['sqlite :memory:' => ['sqlite'], 'pgsql' => ['pgsql']];
    }

    #[DataProvider('phpSinks')]
    public function testOneCountBeyondBigintAmongManyIsSetAsideThroughTheConnectionSink(string $db): void
    {
        $this->useDatabase($db);
        $this->migrateWithOwners();
        $big = User::create();
        $big->incrementCounter('views', PHP_INT_MAX - 1);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $users = [];
        for ($i = 0; $i < 120; $i++) {
            $users[] = $user = User::create();
            $user->incrementCounter('views', 1);
        }
        $big->incrementCounter('views', 5);
        $big->incrementCounter('downloads', 2);

        // Three batches of 50: the one holding the overflow narrowed to it, everything else committed.
        [$code, $out] = $this->artisan('counter:sync', ['--batch-size' => 50]);
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString("counter 'views' of user #$big->id (delta 5) set aside, kept in Redis until retried: ", $out);
        $this->assertStringContainsString('1 counter(s) set aside: kept in Redis and still counted, not written.', $out);
        $expected = ["user|$big->id|downloads" => 2, "user|$big->id|views" => PHP_INT_MAX - 1];
        foreach ($users as $user) {
            $expected["user|$user->id|views"] = 1;
        }
        ksort($expected);
        $rows = $this->syncedRows();
        ksort($rows);
        $this->assertSame($expected, $rows);
        $this->assertSame(['counter:testing:{user:' . $big->id . '}:f'], $this->redisKeys());
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame(PHP_INT_MAX - 1, $this->syncedRows()["user|$big->id|views"]);

        // The cause fixed, re-queued: synced exactly once.
        ModelCounter::query()->where('owner_id', (string) $big->id)->where('key', 'views')->update(['count' => 10]);
        [$code, $out] = $this->artisan('counter:failed', ['--retry' => true]);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('1 counter(s) put back into pending: the next counter:sync writes them.', $out);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame(15, $this->syncedRows()["user|$big->id|views"]);
        $this->assertSame(1, $this->syncedRows()["user|{$users[119]->id}|views"]);
        $this->assertSame(15, $big->counter('views'));
        $this->assertSame([], $this->redisKeys());
    }

    public function testAForeignKeyIsLeftAloneAndWarnedAboutWithExitCode0(): void
    {
        $user = User::create();
        $user->incrementCounter('views', 2);
        $redis = $this->redis();
        $foreign = $this->tallyPrefix() . '{user:999}';
        $redis->set($foreign, 'hello');

        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString("'$foreign' is not a Tally counter hash: it holds a string; left untouched", $out);
        $this->assertSame(["user|$user->id|views" => 2], $this->syncedRows());
        $this->assertSame('hello', $redis->get($foreign));
        $this->assertSame(['counter:testing:{user:999}'], $this->redisKeys());
    }

    public function testADryRunNamesNoBatches(): void
    {
        $user = User::create();
        $user->incrementCounter('views', 2);
        [$code, $out] = $this->artisan('counter:sync', ['--dry-run' => true], false, OutputInterface::VERBOSITY_VERBOSE);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('Would sync 1 counter(s) of 1 owner(s); 0 zero delta(s) dropped, 0 recovered from an earlier run.', $out);
        $this->assertStringNotContainsString('batch(es)', $out);
        $this->assertMatchesRegularExpression('/\|\s*1\s*\|\s*1\s*\|\s*-\s*\|/', $out);
    }

    public function testABadPatternIsAnErrorWithExitCode1(): void
    {
        [$code, $out] = $this->artisan('counter:failed', ['--pattern' => '']);
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString('--pattern must be a non-empty owner type pattern', $out);
    }
}
