<?php

// Tally\Laravel\PatternSettings: the seed patterns' config, defaults and checks at boot.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Config\Repository;
use PHPUnit\Framework\TestCase as BaseTestCase;
use Tally\InvalidArgumentException;
use Tally\Laravel\PatternSettings;
use Tally\Laravel\Settings;

final class PatternSettingsTest extends BaseTestCase
{
    private function settings(array $counter): PatternSettings
    {
        return Settings::fromConfig(new Repository([
            'database' => ['redis' => ['default' => ['host' => '127.0.0.1']]],
            'counter' => $counter,
        ]))->patterns;
    }

    public function testDefaultsAndValues(): void
    {
        $d = $this->settings([]);
        $this->assertSame([7200, 60, [], []], [$d->progressTtl, $d->rateMinutes, $d->pathExclude, $d->cleanup]);
        $s = $this->settings(['progress_ttl' => '600', 'rate_minutes' => 10, 'path_hits' => ['exclude' => ['admin/*']],
            'cleanup' => ['jobs:*' => 60]]);
        $this->assertSame([600, 10, ['admin/*'], ['jobs:*' => 60]], [$s->progressTtl, $s->rateMinutes, $s->pathExclude, $s->cleanup]);
    }

    /** @return iterable<string, array{array<string,mixed>, string}> */
    public static function bad(): iterable
    {
        yield 'zero progress ttl' => [['progress_ttl' => 0], 'counter.progress_ttl must be an integer from 1 to 315360000'];
        yield 'text progress ttl' => [['progress_ttl' => 'soon'], 'counter.progress_ttl must be an integer'];
        yield 'zero rate minutes' => [['rate_minutes' => 0], 'counter.rate_minutes must be an integer from 1 to 1440'];
        yield 'two days of buckets' => [['rate_minutes' => 2880], 'counter.rate_minutes must be an integer from 1 to 1440'];
        yield 'exclude not a list' => [['path_hits' => ['exclude' => 'admin/*']], 'counter.path_hits.exclude must be a list'];
        yield 'empty exclusion' => [['path_hits' => ['exclude' => ['']]], 'counter.path_hits.exclude must be a list'];
        yield 'cleanup list' => [['cleanup' => ['jobs:*']], "'0' => 'jobs:*' is not one"];
        yield 'cleanup zero ttl' => [['cleanup' => ['jobs:*' => 0]], "'jobs:*' => 0 is not one"];
        yield 'cleanup string ttl' => [['cleanup' => ['jobs:*' => '60']], "'jobs:*' => '60' is not one"];
    }

    #[\PHPUnit\Framework\Attributes\DataProvider('bad')]
    public function testBadConfigIsRejectedAtBoot(array $counter, string $message): void
    {
        $this->expectException(InvalidArgumentException::class);
        $this->expectExceptionMessage($message);
        $this->settings($counter);
    }
}
