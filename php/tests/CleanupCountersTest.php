<?php

// php artisan counter:cleanup: keys without an expiry found by SCAN and given the TTL of
// their pattern (config or --pattern/--ttl), --dry-run, -v, owner counters untouched, errors.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Symfony\Component\Console\Output\BufferedOutput;
use Tally\Laravel\Counter;
use Tally\Laravel\Ephemeral;
use Tally\Laravel\Tests\Fixtures\User;

final class CleanupCountersTest extends TestCase
{
    protected function config(): array
    {
        $config = parent::config();
        $config['counter']['cleanup'] = ['label_group_success:*' => 3600, 'batch_progress:*' => 7200];

        return $config;
    }

    /** The seed's leak: INCR without its EXPIRE (here: increments without a ttl). */
    private function leak(): void
    {
        for ($i = 1; $i <= 5; $i++) {
            Ephemeral::increment("label_group_success:$i");
        }
        Ephemeral::increment('batch_progress:b1');
        Ephemeral::increment('batch_progress:b2', 1, 300);     // has an expiry: left alone
        Ephemeral::increment('other:1');                       // no pattern covers it
    }

    public function testDryRunReportsAndChangesNothing(): void
    {
        $this->leak();
        [$code, $out] = $this->artisan('counter:cleanup', ['--dry-run' => true, '--batch-size' => 2], verbosity: BufferedOutput::VERBOSITY_VERBOSE);
        $this->assertSame(0, $code, $out);
        $this->assertMatchesRegularExpression('/label_group_success:\*\s*\|\s*3600\s*\|\s*5\s*\|\s*5\s*\|\s*0\s*\|/', $out);
        $this->assertMatchesRegularExpression('/batch_progress:\*\s*\|\s*7200\s*\|\s*2\s*\|\s*1\s*\|\s*0\s*\|/', $out);
        $this->assertStringContainsString('  label_group_success:3', $out);
        $this->assertStringContainsString('  batch_progress:b1', $out);
        $this->assertStringNotContainsString('batch_progress:b2', $out);
        $this->assertStringContainsString('Dry run: nothing was changed.', $out);
        $this->assertSame(-1, Ephemeral::ttl('label_group_success:3'));
    }

    public function testGivesEachPatternItsTtlAndLeavesTheRest(): void
    {
        $this->migrateWithOwners();
        $user = User::create();
        Counter::increment($user, 'downloads', 3);             // pending delta: never expired
        $this->leak();
        [$code, $out] = $this->artisan('counter:cleanup');
        $this->assertSame(0, $code, $out);
        $this->assertMatchesRegularExpression('/label_group_success:\*\s*\|\s*3600\s*\|\s*5\s*\|\s*5\s*\|\s*5\s*\|/', $out);

        $ttl = Ephemeral::ttl('label_group_success:4');
        $this->assertGreaterThan(3500, $ttl);
        $this->assertLessThanOrEqual(3600, $ttl);
        $this->assertGreaterThan(7100, Ephemeral::ttl('batch_progress:b1'));
        $this->assertLessThanOrEqual(300, Ephemeral::ttl('batch_progress:b2'));
        $this->assertSame(-1, Ephemeral::ttl('other:1'));
        $ownerKeys = array_values(array_filter($this->redisKeys(), fn ($k) => str_contains($k, '{')));
        $this->assertCount(1, $ownerKeys);
        $this->assertSame(-1, $this->redis()->ttl($this->redisPrefix . $ownerKeys[0]));
        $this->assertSame(3, Counter::get($user, 'downloads'));

        // Nothing left to do on a second run.
        [, $out] = $this->artisan('counter:cleanup');
        $this->assertMatchesRegularExpression('/label_group_success:\*\s*\|\s*3600\s*\|\s*5\s*\|\s*0\s*\|\s*0\s*\|/', $out);
    }

    public function testOnePatternFromTheCommandLine(): void
    {
        $this->leak();
        [$code, $out] = $this->artisan('counter:cleanup', ['--pattern' => 'other:*', '--ttl' => 60]);
        $this->assertSame(0, $code, $out);
        $this->assertMatchesRegularExpression('/other:\*\s*\|\s*60\s*\|\s*1\s*\|\s*1\s*\|\s*1\s*\|/', $out);
        $this->assertStringNotContainsString('label_group_success', $out);
        $this->assertLessThanOrEqual(60, Ephemeral::ttl('other:1'));
        $this->assertSame(-1, Ephemeral::ttl('label_group_success:1'));
    }

    /** @return iterable<string, array{array<string,mixed>, string}> */
    public static function badOptions(): iterable
    {
        yield 'pattern without ttl' => [['--pattern' => 'x:*'], '--pattern needs a non-empty key pattern and --ttl seconds'];
        yield 'zero ttl' => [['--pattern' => 'x:*', '--ttl' => '0'], '--ttl seconds from 1 to 315360000'];
        yield 'ttl without pattern' => [['--ttl' => '60'], '--ttl goes with --pattern'];
        yield 'bad batch size' => [['--batch-size' => '0'], "--batch-size must be a positive integer, got '0'"];
        yield 'reserved pattern' => [['--pattern' => '{*', '--ttl' => '60'], "pattern must not contain '{' or '}'"];
    }

    #[\PHPUnit\Framework\Attributes\DataProvider('badOptions')]
    public function testBadOptionsFailAndChangeNothing(array $options, string $message): void
    {
        $this->leak();
        [$code, $out] = $this->artisan('counter:cleanup', $options);
        $this->assertSame(1, $code, $out);
        $this->assertStringContainsString($message, $out);
        $this->assertSame(-1, Ephemeral::ttl('label_group_success:1'));
    }

    public function testNoPatternsConfigured(): void
    {
        $this->app->make('config')->set('counter.cleanup', []);
        $this->app->forgetInstance(\Tally\Laravel\Settings::class);
        $this->app->forgetInstance(\Tally\Laravel\CounterManager::class);
        [$code, $out] = $this->artisan('counter:cleanup');
        $this->assertSame(0, $code, $out);
        $this->assertStringContainsString('No key patterns', $out);
    }
}
