<?php

// php artisan counter:sync: options, output and exit codes.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Database\Eloquent\Relations\Relation;
use PHPUnit\Framework\Attributes\DataProvider;
use Symfony\Component\Console\Output\OutputInterface;
use Tally\Laravel\Counter;
use Tally\Laravel\Models\ModelCounter;
use Tally\Laravel\Tests\Fixtures\Document;
use Tally\Laravel\Tests\Fixtures\User;

final class SyncCountersTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->migrateWithOwners();
        Relation::morphMap(['user' => User::class, 'document' => Document::class]);
    }


    public function testSyncMovesPendingDeltasAndPrintsASummary(): void
    {
        $user = User::create();
        $user->incrementCounter('downloads', 3);
        $user->incrementCounter('views', 2);
        $user->incrementCounter('zero', 0);

        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertMatchesRegularExpression('/synced\s*\|\s*owners\s*\|\s*batches\s*\|\s*skipped\s*\|\s*recovered\s*\|\s*errors/', $out);
        $this->assertMatchesRegularExpression('/\|\s*2\s*\|\s*1\s*\|\s*1\s*\|\s*1\s*\|\s*0\s*\|\s*0\s*\|/', $out);
        $this->assertSame(["user|$user->id|downloads" => 3, "user|$user->id|views" => 2], $this->syncedRows());
        $this->assertSame([], $this->redisKeys());

        // Nothing pending: still a success.
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code);
        $this->assertMatchesRegularExpression('/\|\s*0\s*\|\s*0\s*\|/', $out);
    }

    public function testDryRunWritesNothing(): void
    {
        $user = User::create();
        $user->incrementCounter('downloads', 3);

        [$code, $out] = $this->artisan('counter:sync', ['--dry-run' => true]);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('Dry run: nothing was written.', $out);
        $this->assertSame([], $this->syncedRows());
        $this->assertSame(3, $user->counter('downloads'));
        $this->assertSame(3, (int) $this->redis()->hGet($this->tallyPrefix() . '{user:' . $user->id . '}', 'downloads'));
    }

    public function testPatternSyncsOneOwnerType(): void
    {
        $user = User::create();
        $doc = Document::create();
        $user->incrementCounter('downloads', 1);
        $doc->incrementCounter('views', 2);

        [$code, $out] = $this->artisan('counter:sync', ['--pattern' => 'document']);
        $this->assertSame(0, $code, $out);
        $this->assertSame(["document|$doc->id|views" => 2], $this->syncedRows());
        $this->assertSame(['counter:testing:{user:' . $user->id . '}'], $this->redisKeys());
        $this->assertSame(1, $user->counter('downloads'));
    }

    public function testSeedStylePatternIsTheOwnerType(): void
    {
        $user = User::create();
        $doc = Document::create();
        $user->incrementCounter('downloads', 1);
        $doc->incrementCounter('views', 2);

        [$code, $out] = $this->artisan('counter:sync', ['--pattern' => 'document:*']);
        $this->assertSame(0, $code, $out);
        $this->assertSame(["document|$doc->id|views" => 2], $this->syncedRows());

        [$code, $out] = $this->artisan('counter:sync', ['--pattern' => 'us*']);
        $this->assertSame(0, $code, $out);
        $this->assertSame(["document|$doc->id|views" => 2, "user|$user->id|downloads" => 1], $this->syncedRows());
    }

    public function testBatchSizeSplitsTheRunIntoTransactions(): void
    {
        foreach (range(1, 5) as $i) {
            User::create()->incrementCounter('downloads', $i);
        }
        [$code, $out] = $this->artisan('counter:sync', ['--batch-size' => 2]);
        $this->assertSame(0, $code, $out);
        // 5 owners of one counter each, 2 per batch: 3 batches.
        $this->assertMatchesRegularExpression('/\|\s*5\s*\|\s*5\s*\|\s*3\s*\|/', $out);
        $this->assertSame(15, (int) ModelCounter::query()->sum('count'));
    }

    public function testBadBatchSizeIsAnErrorWithExitCode1(): void
    {
        foreach (['0', '-3', 'ten'] as $bad) {
            [$code, $out] = $this->artisan('counter:sync', ['--batch-size' => $bad]);
            $this->assertSame(1, $code);
            $this->assertStringContainsString("--batch-size must be a positive integer, got '$bad'", $out);
        }
    }

    public function testMissingTableIsAnErrorWithExitCode1(): void
    {
        $this->app->make('db')->connection()->getSchemaBuilder()->drop('model_counters');
        User::create()->incrementCounter('downloads');

        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(1, $code, $out);
        $this->assertMatchesRegularExpression('/model_counters/', $out);
    }

    public function testHeldLockIsASuccessWithAMessage(): void
    {
        $user = User::create();
        $user->incrementCounter('downloads');
        $this->redis()->set($this->tallyPrefix() . '{}:sync:lock', 'someone-else', ['px' => 60000]);

        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('Another counter:sync holds the lock; nothing was done.', $out);
        $this->assertSame([], $this->syncedRows());
        $this->assertSame(1, $user->counter('downloads'));
    }

    public function testProgressBarOnADecoratedOutput(): void
    {
        foreach (range(1, 3) as $i) {
            User::create()->incrementCounter('downloads');
        }
        [$code, $out] = $this->artisan('counter:sync', ['--batch-size' => 1], true);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('3 counters [', $out);
        $this->assertMatchesRegularExpression('/\|\s*3\s*\|\s*3\s*\|\s*3\s*\|/', $out);
    }

    /** @return array<string,array{string}> */
    public static function databases(): array
    {
        return ['ConnectionSink (sqlite :memory:)' => ['sqlite'], 'native (sqlite file)' => ['sqlite-file'], 'native (mariadb)' => ['mariadb'], 'ConnectionSink (pgsql)' => ['pgsql']];
    }

    #[DataProvider('databases')]
    public function testVerboseListsEachSyncedCounter(string $db): void
    {
        if ($db !== 'sqlite') {
            $this->useDatabase($db);
            $this->migrateWithOwners();
        }
        $user = User::create();
        $doc = Document::create();
        $user->incrementCounter('downloads', 3);
        $user->decrementCounter('views', 2);
        $user->incrementCounter('<error>tag</error>', 1);   // printed as is, not as console markup
        $user->incrementCounter('zero', 0);
        $doc->incrementCounter('views', 7);
        $listed = [
            "  user#$user->id  downloads  +3",
            "  user#$user->id  views  -2",
            "  user#$user->id  <error>tag</error>  +1",
            "  document#$doc->id  views  +7",
        ];

        [$code, $out] = $this->artisan('counter:sync', ['--dry-run' => true], false, OutputInterface::VERBOSITY_VERBOSE);
        $this->assertSame(0, $code, $out);
        $this->assertEqualsCanonicalizing($listed, $this->listed($out));
        $this->assertStringContainsString('Would sync 4 counter(s) of 2 owner(s)', $out);
        $this->assertSame([], $this->syncedRows());

        [$code, $out] = $this->artisan('counter:sync', ['--batch-size' => 1], false, OutputInterface::VERBOSITY_VERBOSE);
        $this->assertSame(0, $code, $out);
        $this->assertEqualsCanonicalizing($listed, $this->listed($out));
        $this->assertStringContainsString('Synced 4 counter(s) of 2 owner(s) in 2 batch(es); 1 zero delta(s) dropped, 0 recovered from an earlier run.', $out);
        $this->assertCount(4, $this->syncedRows());

        // Without -v: no listing.
        $user->incrementCounter('downloads');
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame([], $this->listed($out));
    }

    public function testVerboseListingBesideTheProgressBar(): void
    {
        $user = User::create();
        $user->incrementCounter('downloads', 2);
        [$code, $out] = $this->artisan('counter:sync', [], true, OutputInterface::VERBOSITY_VERBOSE);
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString("  user#$user->id  downloads  +2", $out);
        $this->assertStringContainsString('1 counters [', $out);
    }

    public function testAFailingListingFailsTheCommandAndLosesNothing(): void
    {
        $user = User::create();
        $user->incrementCounter('downloads', 2);
        $output = new class (OutputInterface::VERBOSITY_VERBOSE) extends \Symfony\Component\Console\Output\BufferedOutput {
            protected function doWrite(string $message, bool $newline): void
            {
                if (str_contains($message, 'downloads')) {
                    throw new \RuntimeException('the terminal went away');
                }
                parent::doWrite($message, $newline);
            }
        };
        $code = $this->app->make(\Illuminate\Contracts\Console\Kernel::class)->call('counter:sync', [], $output);
        $this->assertSame(1, $code);
        $this->assertStringContainsString('counter:sync failed: the terminal went away', $output->fetch());
        // The batch was committed before it was listed: stored once, nothing pending.
        $this->assertSame(["user|$user->id|downloads" => 2], $this->syncedRows());
        $this->assertSame(2, $user->counter('downloads'));
    }

    /** @return list<string> the lines -v lists */
    private function listed(string $out): array
    {
        return array_values(preg_grep('/^  \S+#\S+  /', explode("\n", $out)));
    }

    public function testSyncFromTheStaticApiReadsBackExactly(): void
    {
        $user = User::create();
        Counter::increment($user, 'downloads', 40);
        $this->artisan('counter:sync');
        Counter::increment($user, 'downloads', 2);
        $this->assertSame(42, Counter::get($user, 'downloads'));
    }
}
