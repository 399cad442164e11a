<?php

// The tally.throttle route middleware, through Laravel's HTTP kernel: limits per user or IP,
// fixed and sliding, 429 with Retry-After and X-RateLimit-* headers, bad parameters, fail-open.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Auth\GenericUser;
use Illuminate\Http\Exceptions\ThrottleRequestsException;
use Tally\ConnectionException;
use Tally\InvalidArgumentException;
use Tally\Laravel\RateLimit;
use Tally\Laravel\Tests\Fixtures\Http;

final class ThrottleRequestsTest extends TestCase
{
    private Http $http;

    protected function setUp(): void
    {
        parent::setUp();
        $this->http = new Http($this->app);
        $router = $this->http->router();
        $router->get('/api/items', fn () => 'items')->middleware('tally.throttle:2,60');
        $router->get('/api/other', fn () => 'other')->middleware('tally.throttle:2,60');
        $router->get('/api/sliding', fn () => 'sliding')->middleware('tally.throttle:3,60,sliding');
        $router->get('/api/search', fn () => 'search')->middleware('tally.throttle:2,60,fixed,search');
    }

    public function testAdmitsTheLimitThenAnswers429WithHeaders(): void
    {
        $this->http->withLaravelExceptionHandler();
        $first = $this->http->send('GET', '/api/items', json: true);
        $second = $this->http->send('GET', '/api/items', json: true);
        $this->assertSame([200, 'items', '2', '1'], [$first->getStatusCode(), $first->getContent(),
            $first->headers->get('X-RateLimit-Limit'), $first->headers->get('X-RateLimit-Remaining')]);
        $this->assertSame(['2', '0'], [$second->headers->get('X-RateLimit-Limit'), $second->headers->get('X-RateLimit-Remaining')]);
        $this->assertFalse($first->headers->has('Retry-After'));

        $before = time();
        $denied = $this->http->send('GET', '/api/items', json: true);
        $this->assertSame(429, $denied->getStatusCode());
        $this->assertSame('Too Many Attempts.', json_decode((string) $denied->getContent(), true)['message']);
        $retry = (int) $denied->headers->get('Retry-After');
        $this->assertGreaterThanOrEqual(59, $retry);
        $this->assertLessThanOrEqual(60, $retry);
        $this->assertSame(['2', '0'], [$denied->headers->get('X-RateLimit-Limit'), $denied->headers->get('X-RateLimit-Remaining')]);
        $reset = (int) $denied->headers->get('X-RateLimit-Reset');
        $this->assertGreaterThanOrEqual($before + $retry, $reset);
        $this->assertLessThanOrEqual(time() + $retry, $reset);
        // Denied requests consumed nothing: the counter holds the two admitted ones.
        $this->assertSame('2', $this->redis()->get($this->tallyPrefix() . '{}:rl:f:throttle:2/60/fixed:ip:10.0.0.1'));
    }

    public function testTheExceptionCarriesTheHeaders(): void
    {
        $this->http->send('GET', '/api/items');
        $this->http->send('GET', '/api/items');
        try {
            $this->http->send('GET', '/api/items');
            $this->fail('the third request passed');
        } catch (ThrottleRequestsException $e) {
            $this->assertSame(429, $e->getStatusCode());
            $this->assertSame(['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'Retry-After', 'X-RateLimit-Reset'], array_keys($e->getHeaders()));
        }
    }

    public function testGuestsAreLimitedPerIpAndUsersPerIdentifier(): void
    {
        $this->http->withLaravelExceptionHandler();
        foreach (['10.0.0.1', '10.0.0.1', '10.0.0.2', '10.0.0.2'] as $ip) {
            $this->assertSame(200, $this->http->send('GET', '/api/items', $ip)->getStatusCode());
        }
        $this->assertSame(429, $this->http->send('GET', '/api/items', '10.0.0.1', json: true)->getStatusCode());

        // A signed-in user is one limit from any address, apart from the guests of those addresses.
        $alice = new GenericUser(['id' => 7]);
        $this->assertSame(200, $this->http->send('GET', '/api/items', '10.0.0.1', $alice)->getStatusCode());
        $this->assertSame(200, $this->http->send('GET', '/api/items', '10.0.0.9', $alice)->getStatusCode());
        $this->assertSame(429, $this->http->send('GET', '/api/items', '10.0.0.5', $alice, json: true)->getStatusCode());
        $this->assertSame(200, $this->http->send('GET', '/api/items', '10.0.0.5', new GenericUser(['id' => 8]))->getStatusCode());
    }

    public function testRoutesWithTheSameLimitShareItUnlessNamed(): void
    {
        $this->http->withLaravelExceptionHandler();
        $this->http->send('GET', '/api/items');
        $this->http->send('GET', '/api/other');
        $this->assertSame(429, $this->http->send('GET', '/api/other', json: true)->getStatusCode());
        // The named limit "search" is its own.
        $this->assertSame('1', $this->http->send('GET', '/api/search')->headers->get('X-RateLimit-Remaining'));
    }

    public function testSlidingWindow(): void
    {
        $this->http->withLaravelExceptionHandler();
        $remaining = [];
        for ($i = 0; $i < 3; $i++) {
            $remaining[] = $this->http->send('GET', '/api/sliding')->headers->get('X-RateLimit-Remaining');
        }
        $this->assertSame(['2', '1', '0'], $remaining);
        $denied = $this->http->send('GET', '/api/sliding', json: true);
        $this->assertSame(429, $denied->getStatusCode());
        $this->assertSame(3, $this->redis()->zCard($this->tallyPrefix() . '{}:rl:s:throttle:3/60/sliding:ip:10.0.0.1'));
        // The same limit is readable directly.
        $peek = RateLimit::peek('throttle:3/60/sliding:ip:10.0.0.1', 3, 60, true);
        $this->assertSame([false, 0], [$peek->allowed, $peek->remaining]);
    }

    /** @return iterable<string, array{string, string}> */
    public static function badParameters(): iterable
    {
        yield 'zero limit' => ['tally.throttle:0,60', "tally.throttle limit must be a positive integer, got '0'"];
        yield 'negative window' => ['tally.throttle:5,-1', "tally.throttle window must be a positive integer, got '-1'"];
        yield 'words' => ['tally.throttle:many,60', "tally.throttle limit must be a positive integer, got 'many'"];
        yield 'mode' => ['tally.throttle:5,60,leaky', "tally.throttle mode must be 'fixed' or 'sliding', got 'leaky'"];
        yield 'absurd window' => ['tally.throttle:5,999999999999', 'window must be between 1 and 315360000 seconds, 999999999999 given'];
        yield 'absurd sliding limit' => ['tally.throttle:1000000,60,sliding', 'limit must be between 1 and 100000 for a sliding window'];
    }

    #[\PHPUnit\Framework\Attributes\DataProvider('badParameters')]
    public function testBadParametersThrowAndWriteNothing(string $middleware, string $message): void
    {
        $this->http->router()->get('/bad', fn () => 'bad')->middleware($middleware);
        try {
            $this->http->send('GET', '/bad');
            $this->fail('a bad tally.throttle was accepted');
        } catch (InvalidArgumentException $e) {
            $this->assertStringContainsString($message, $e->getMessage());
        }
        $this->assertSame([], $this->redisKeys());
    }

    public function testRedisDownFailsClosedByDefaultAndOpenWhenConfigured(): void
    {
        $this->app->make('config')->set('database.redis.default.port', $this->closedPort());
        $this->app->make('config')->set('counter.connect_timeout', 0.5);
        $this->app->forgetInstance(\Tally\Laravel\Settings::class);
        $this->app->forgetInstance(\Tally\Laravel\CounterManager::class);
        try {
            $this->http->send('GET', '/api/items');
            $this->fail('a request passed with Redis down and fail_open off');
        } catch (ConnectionException $e) {
            $this->assertStringContainsString('cannot connect to Redis', $e->getMessage());
        }

        $this->app->make('config')->set('counter.fail_open', true);
        $this->app->forgetInstance(\Tally\Laravel\Settings::class);
        $this->app->forgetInstance(\Tally\Laravel\CounterManager::class);
        $this->exceptions()->reported = [];
        $response = $this->http->send('GET', '/api/items');
        $this->assertSame([200, 'items'], [$response->getStatusCode(), $response->getContent()]);
        $this->assertFalse($response->headers->has('X-RateLimit-Limit'));
        $this->assertCount(1, $this->exceptions()->reported);
        $this->assertInstanceOf(ConnectionException::class, $this->exceptions()->reported[0]);
    }

    private function closedPort(): int
    {
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr(strrchr(stream_socket_get_name($socket, false), ':'), 1);
        fclose($socket);

        return $port;
    }
}
