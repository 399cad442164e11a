<?php

// counter.buffer: increments add up in memory and reach Redis on flush, at request end
// (terminate) and after each queued job; reads include them; bad settings are clear errors.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Config\Repository;
use Illuminate\Queue\Events\JobProcessed;
use Tally\InvalidArgumentException;
use Tally\Laravel\Counter;
use Tally\Laravel\CounterManager;
use Tally\Laravel\Settings;
use Tally\Laravel\Tests\Fixtures\User;

final class BufferTest extends TestCase
{
    protected function config(): array
    {
        $config = parent::config();
        $config['counter'] = ['buffer' => true, 'buffer_limit' => 50];

        return $config;
    }

    protected function tearDown(): void
    {
        // The buffer belongs to the process: leave nothing for the next test.
        if (isset($this->app) && $this->app->resolved(CounterManager::class)) {
            try {
                $this->app->make(CounterManager::class)->flush();
            } catch (\Tally\Exception) {
            }
        }
        parent::tearDown();
    }

    /** The pending delta in Redis itself, read without the buffer. */
    private function inRedis(User $user, string $key): int
    {
        return (int) $this->redis()->hGet($this->tallyPrefix() . '{' . str_replace('\\', '%5C', User::class) . ':' . $user->getKey() . '}', $key);
    }

    public function testSettingsPassTheBufferOptionsToTheExtension(): void
    {
        $settings = $this->app->make(Settings::class);
        $this->assertTrue($settings->redis['buffer']);
        $this->assertSame(50, $settings->redis['buffer_limit']);

        $unset = Settings::fromConfig(new Repository(['database' => ['redis' => ['default' => []]], 'counter' => []]));
        $this->assertArrayNotHasKey('buffer', $unset->redis);
        $this->assertArrayNotHasKey('buffer_limit', $unset->redis);
        $env = Settings::fromConfig(new Repository(['database' => ['redis' => ['default' => []]],
            'counter' => ['buffer' => 'false', 'buffer_limit' => '10']]));
        $this->assertSame([false, 10], [$env->redis['buffer'], $env->redis['buffer_limit']]);
    }

    public function testBadBufferSettingsAreClearErrors(): void
    {
        foreach ([['buffer_limit' => 0], ['buffer_limit' => 'many'], ['buffer' => 'sometimes']] as $counter) {
            try {
                Settings::fromConfig(new Repository(['database' => ['redis' => ['default' => []]], 'counter' => $counter]));
                $this->fail('accepted ' . json_encode($counter));
            } catch (InvalidArgumentException $e) {
                $this->assertMatchesRegularExpression('/^counter\.buffer(_limit)? must be /', $e->getMessage());
            }
        }
    }

    public function testIncrementsWaitForFlushAndReadsIncludeThem(): void
    {
        $this->migrateWithOwners();
        $user = User::create();
        for ($i = 0; $i < 10; $i++) {
            $user->incrementCounter('views');
        }
        Counter::decrement($user, 'credits', 3);

        $this->assertSame(0, $this->inRedis($user, 'views'));
        $this->assertSame(10, $user->counter('views'));
        $this->assertSame(['credits' => -3, 'views' => 10], Counter::all($user));

        $this->assertSame(2, Counter::flush());
        $this->assertSame(10, $this->inRedis($user, 'views'));
        $this->assertSame(-3, $this->inRedis($user, 'credits'));
        $this->assertSame(0, Counter::flush());
        $this->assertSame(10, $user->counter('views'));
    }

    public function testRequestEndAndQueuedJobsFlush(): void
    {
        $this->migrateWithOwners();
        $user = User::create();
        $user->incrementCounter('downloads', 4);
        $this->app->terminate();
        $this->assertSame(4, $this->inRedis($user, 'downloads'));

        $user->incrementCounter('downloads', 6);
        $this->app->make('events')->dispatch(new JobProcessed('redis', $this->createStub(\Illuminate\Contracts\Queue\Job::class)));
        $this->assertSame(10, $this->inRedis($user, 'downloads'));
    }

    public function testAFailedFlushAtRequestEndIsReportedWithTheLostCounts(): void
    {
        $this->migrateWithOwners();
        $user = User::create();
        $this->redis()->set($this->tallyPrefix() . '{' . str_replace('\\', '%5C', User::class) . ':' . $user->getKey() . '}', 'not a hash');
        $user->incrementCounter('downloads', 4);
        $this->app->terminate();

        $reported = $this->exceptions()->reported;
        $this->assertCount(1, $reported);
        $this->assertInstanceOf(\Tally\WrongTypeException::class, $reported[0]);
        $this->assertStringContainsString("'downloads' of " . User::class . ' #' . $user->getKey() . ' (+4)', $reported[0]->getMessage());
    }

    public function testAFailedExplicitFlushThrowsOrUnderFailOpenIsReported(): void
    {
        $this->migrateWithOwners();
        $user = User::create();
        $hash = $this->tallyPrefix() . '{' . str_replace('\\', '%5C', User::class) . ':' . $user->getKey() . '}';
        $this->redis()->set($hash, 'not a hash');

        $user->incrementCounter('views', 2);
        try {
            Counter::flush();
            $this->fail('the flush did not throw');
        } catch (\Tally\WrongTypeException $e) {
            $this->assertStringContainsString("'views' of " . User::class . ' #' . $user->getKey() . ' (+2)', $e->getMessage());
        }

        $this->app->make('config')->set('counter.fail_open', true);
        $this->app->forgetInstance(Settings::class);
        $this->app->forgetInstance(CounterManager::class);
        $user->incrementCounter('views', 5);
        $this->assertSame(0, Counter::flush());
        $this->assertCount(1, $this->exceptions()->reported);
        $this->assertStringContainsString('(+5)', $this->exceptions()->reported[0]->getMessage());
        $this->redis()->del($hash);
    }
}
