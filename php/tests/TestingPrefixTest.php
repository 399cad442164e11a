<?php

// counter.testing_prefix: while the application runs its tests (APP_ENV=testing) its counters
// live under a prefix of their own (per ParaTest process), so a test that counts and syncs
// never reads, moves or loses the developer's pending counters on the same Redis.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Config\Repository;
use PHPUnit\Framework\Attributes\DataProvider;
use Tally\Database;
use Tally\InvalidArgumentException;
use Tally\Laravel\Models\ModelCounter;
use Tally\Laravel\Settings;
use Tally\Laravel\Tests\Fixtures\Laravel;
use Tally\Laravel\Tests\Fixtures\User;

final class TestingPrefixTest extends TestCase
{
    private function prefix(array $counter, bool $testing, string|int|false|null $token = null): string
    {
        $config = new Repository(['database' => ['redis' => ['default' => []]], 'counter' => $counter]);

        return Settings::fromConfig($config, $testing, $token)->redis['prefix'];
    }

    /** @return array<string,array{string}> the test's database: through Laravel's connection, or the native sink */
    public static function sinks(): array
    {
        return ['php sink (sqlite :memory:)' => ['sqlite'], 'native sink (sqlite file)' => ['sqlite-file']];
    }

    #[DataProvider('sinks')]
    public function testARealPendingCounterSurvivesATestThatIncrementsAndSyncs(string $db): void
    {
        $owner = '{' . str_replace('\\', '%5C', User::class) . ':1}';

        // The developer's own application (APP_ENV=local) on the same Redis: 10 pending.
        $this->app->flush();
        $this->app = Laravel::boot($this->basePath, $this->config(), 'local');
        $this->migrateWithOwners();
        User::create()->incrementCounter('downloads', 10);
        $this->assertSame(["counter:$owner"], $this->redisKeys());

        // The test: same Redis, same connection prefix, same owner; it counts and syncs.
        $this->useDatabase($db);
        $this->migrateWithOwners();
        $user = User::create();
        $user->incrementCounter('downloads', 3);
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->assertSame(3, ModelCounter::query()->sole()->count);
        $this->assertSame(3, $user->counter('downloads'));
        $this->assertSame($db === 'sqlite-file', $this->app->make(\Tally\Laravel\CounterManager::class)->sink() instanceof Database);

        $this->assertSame(["counter:$owner"], $this->redisKeys());
        $this->assertSame('10', $this->redis()->hGet($this->redisPrefix . "counter:$owner", 'downloads'));
    }

    public function testThePrefixOfATestRunAndOfEachParaTestProcess(): void
    {
        $this->assertSame('counter:', $this->prefix([], false));
        $this->assertSame('counter:', $this->prefix([], false, '3'));
        $this->assertSame('counter:testing:', $this->prefix([], true));
        $this->assertSame('counter:testing:', $this->prefix([], true, false));
        $this->assertSame('counter:testing:3:', $this->prefix([], true, '3'));
        $this->assertSame('counter:testing:3:', $this->prefix([], true, 3));
        $this->assertSame('app:tests-', $this->prefix(['prefix' => 'app:', 'testing_prefix' => 'tests-'], true));
        $this->assertSame('counter:', $this->prefix(['testing_prefix' => ''], true, '3'));
        $this->assertSame('counter:', $this->prefix(['testing_prefix' => false], true));

        $this->assertTrue($this->app->make(Settings::class)->isolated);
        $this->assertSame($this->redisPrefix . 'counter:testing:', $this->app->make(Settings::class)->redis['prefix']);
    }

    public function testTheProviderReadsParaTestsToken(): void
    {
        $_SERVER['TEST_TOKEN'] = '7';
        try {
            $this->reboot([]);
            $this->assertSame($this->redisPrefix . 'counter:testing:7:', $this->app->make(Settings::class)->redis['prefix']);
        } finally {
            unset($_SERVER['TEST_TOKEN']);
        }
    }

    public function testABadTestingPrefixIsAClearError(): void
    {
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage('counter.testing_prefix must be a string (or false to count on the real prefix in tests)');
        $this->prefix(['testing_prefix' => 5], true);
    }
}
