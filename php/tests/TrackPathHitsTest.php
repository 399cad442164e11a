<?php

// The tally.hits middleware and PathHits, through Laravel's HTTP kernel: successful GETs
// counted per route name (fallback: path), exclusions, sync to model_counters exactly once,
// exact hits() and topPaths(), long paths, fail-open.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Tally\ConnectionException;
use Tally\Laravel\Http\Middleware\TrackPathHits;
use Tally\Laravel\Http\TrackingFailedException;
use Tally\Laravel\Http\TrackingFailures;
use Tally\Laravel\PathHits;
use Tally\Laravel\Tests\Fixtures\AssertsRejections;
use Tally\Laravel\Tests\Fixtures\Http;

final class TrackPathHitsTest extends TestCase
{
    use AssertsRejections;

    private Http $http;

    protected function setUp(): void
    {
        parent::setUp();
        $this->migrate();
        $this->http = new Http($this->app);
        $router = $this->http->router();
        $router->middleware('tally.hits')->group(function () use ($router): void {
            $router->get('/', fn () => 'home')->name('home');
            $router->get('/checking/{slug}', fn (string $slug) => $slug)->name('checking');
            $router->get('/privacy-policy', fn () => 'privacy');               // unnamed: counted by path
            $router->post('/form', fn () => 'posted')->name('form');
            $router->get('/missing', fn () => abort(404))->name('missing');
            $router->get('/moved', fn () => redirect('/'))->name('moved');
            $router->get('/created', fn () => new \Illuminate\Http\Response('new', 201))->name('created');
            $router->get('/telescope/requests', fn () => 'debug')->name('telescope.requests');
            $router->get('/admin/users', fn () => 'admin')->name('admin.users');
            $router->get('/health', fn () => 'ok')->name('up');
        });
    }

    private function send(string $method, string $uri): void
    {
        try {
            $this->http->send($method, $uri);
        } catch (\Symfony\Component\HttpKernel\Exception\HttpException) {
            // abort(404): the test handler rethrows; the middleware's terminate() still ran.
        }
    }

    public function testCountsSuccessfulGetsByRouteNameOrPath(): void
    {
        foreach (['/', '/checking/a', '/checking/b', '/checking/a', '/privacy-policy', '/created', '/'] as $uri) {
            $this->send('GET', $uri);
        }
        $this->assertSame(['checking' => 3, 'home' => 2, '/privacy-policy' => 1, 'created' => 1], PathHits::topPaths(10));
        $this->assertSame(3, PathHits::hits('checking'));
        $this->assertSame(0, PathHits::hits('/checking/a'));
    }

    public function testPostsErrorsAndRedirectsAreNotCounted(): void
    {
        // Laravel's handler renders the errors, so terminate() sees the 404 responses.
        $this->http->withLaravelExceptionHandler();
        $statuses = [];
        foreach ([['POST', '/form'], ['GET', '/missing'], ['GET', '/moved'], ['GET', '/nowhere']] as [$method, $uri]) {
            $statuses[] = $this->http->send($method, $uri, json: true)->getStatusCode();
        }
        $this->assertSame([200, 404, 302, 404], $statuses);
        $this->assertSame([], PathHits::topPaths());
        $this->assertSame([], $this->redisKeys());
    }

    public function testExclusionsByNameOrPathFromConfig(): void
    {
        $this->send('GET', '/telescope/requests');       // default exclusion 'telescope*' (name)
        $this->send('GET', '/health');                   // default exclusion 'up' (name)
        $this->send('GET', '/admin/users');
        $this->assertSame(['admin.users' => 1], PathHits::topPaths());

        $this->reboot(['counter' => ['path_hits' => ['exclude' => ['admin/*', 'checking']]]]);
        $this->migrate();
        $this->http = new Http($this->app);
        $this->setUpRoutesAgain();
        $this->send('GET', '/admin/users');              // by path
        $this->send('GET', '/checking/x');               // by name
        $this->send('GET', '/telescope/requests');       // no longer excluded
        $this->assertSame(['admin.users' => 1, 'telescope.requests' => 1], PathHits::topPaths());
    }

    private function setUpRoutesAgain(): void
    {
        $router = $this->http->router();
        $router->middleware('tally.hits')->group(function () use ($router): void {
            $router->get('/checking/{slug}', fn (string $slug) => $slug)->name('checking');
            $router->get('/telescope/requests', fn () => 'debug')->name('telescope.requests');
            $router->get('/admin/users', fn () => 'admin')->name('admin.users');
        });
    }

    public function testHitsAreSyncedToModelCountersExactlyOnceAndReadsStayExact(): void
    {
        for ($i = 0; $i < 3; $i++) {
            $this->send('GET', '/checking/x');
        }
        $this->send('GET', '/privacy-policy');
        [$code, $out] = $this->artisan('counter:sync');
        $this->assertSame(0, $code, $out);
        $this->send('GET', '/checking/y');
        $this->send('GET', '/');

        // Stored: one row per path under the reserved owner; pending: the two hits since.
        $rows = $this->app->make('db')->table('model_counters')->where('owner_type', PathHits::OWNER_TYPE)
            ->orderBy('key')->get(['owner_id', 'key', 'count'])->map(fn ($r) => [$r->owner_id, $r->key, (int) $r->count])->all();
        $this->assertSame([['global', '/privacy-policy', 1], ['global', 'checking', 3]], $rows);
        $this->assertSame(4, PathHits::hits('checking'));
        $this->assertSame(['checking' => 4, '/privacy-policy' => 1, 'home' => 1], PathHits::topPaths());

        $this->artisan('counter:sync');
        $this->artisan('counter:sync');
        $this->assertSame(['checking' => 4, '/privacy-policy' => 1, 'home' => 1], PathHits::topPaths());
        $this->assertSame(4, (int) $this->app->make('db')->table('model_counters')->where('key', 'checking')->value('count'));
    }

    public function testTopPathsOrdersByHitsThenPathAndCuts(): void
    {
        PathHits::track('b', 5);
        PathHits::track('a', 5);
        PathHits::track('c', 9);
        PathHits::track('d');
        $this->assertSame(['c' => 9, 'a' => 5, 'b' => 5], PathHits::topPaths(3));
        $this->assertSame(['c' => 9], PathHits::topPaths(1));
    }

    public function testLongPathsAreShortenedDistinctly(): void
    {
        $a = '/files/' . str_repeat('x', 200) . '/a';
        $b = '/files/' . str_repeat('x', 200) . '/b';
        PathHits::track($a);
        PathHits::track($b, 2);
        $this->assertSame(1, PathHits::hits($a));
        $this->assertSame(2, PathHits::hits($b));
        $keys = array_keys(PathHits::topPaths());
        $this->assertSame([100, 100], array_map('strlen', $keys));
        $this->assertSame(substr($b, 0, 91) . '~' . substr(sha1($b), 0, 8), $keys[0]);
        $this->assertSame('/short', PathHits::key('/short'));
    }

    public function testBadInput(): void
    {
        $this->assertEachRejected([
            'empty path' => [fn () => PathHits::track(''), 'path must not be empty'],
            'zero hits' => [fn () => PathHits::track('/x', 0), 'at least once per call, 0 given'],
            'negative hits' => [fn () => PathHits::track('/x', -3), 'at least once per call, -3 given'],
            'top 0' => [fn () => PathHits::topPaths(0), 'topPaths() returns 1 to 10000 paths, 0 asked'],
            'top too many' => [fn () => PathHits::topPaths(10001), '10001 asked'],
            'empty read' => [fn () => PathHits::hits(''), 'path must not be empty'],
        ]);
        $this->assertSame([], $this->redisKeys());
    }

    public function testPathOfRequestsWithoutARoute(): void
    {
        $request = \Illuminate\Http\Request::create('/some/where', 'GET');
        $ok = new \Illuminate\Http\Response('ok');
        $this->assertSame('/some/where', TrackPathHits::pathOf($request, $ok, []));
        $this->assertNull(TrackPathHits::pathOf($request, $ok, ['some/*']));
        $this->assertNull(TrackPathHits::pathOf(\Illuminate\Http\Request::create('/x', 'HEAD'), $ok, []));
        $this->assertNull(TrackPathHits::pathOf($request, new \Illuminate\Http\Response('', 500), []));
    }

    private function closedPort(): int
    {
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr(strrchr(stream_socket_get_name($socket, false), ':'), 1);
        fclose($socket);

        return $port;
    }

    /** @param array<string,mixed> $config set before the counter service is resolved again */
    private function reconfigure(array $config): void
    {
        foreach ($config as $key => $value) {
            $this->app->make('config')->set($key, $value);
        }
        $this->app->forgetInstance(\Tally\Laravel\Settings::class);
        $this->app->forgetInstance(\Tally\Laravel\CounterManager::class);
    }

    public function testRedisDownNeverBreaksAPageAndIsReportedOnceNotPerRequest(): void
    {
        // counter.fail_open is false (the default): tracking fails open anyway.
        $port = $this->closedPort();
        $this->reconfigure(['database.redis.default.port' => $port, 'counter.connect_timeout' => 0.2]);

        foreach (['/checking/x', '/checking/y', '/', '/privacy-policy'] as $uri) {
            $response = $this->http->send('GET', $uri);
            $this->assertSame(200, $response->getStatusCode());
        }
        $this->assertSame('y', $this->http->send('GET', '/checking/y')->getContent());

        $reported = $this->exceptions()->reported;
        $this->assertCount(1, $reported);
        $this->assertInstanceOf(TrackingFailedException::class, $reported[0]);
        $this->assertStringStartsWith(
            "counting the hit of 'checking' (tally.hits) failed; the response was sent without it: Tally\\ConnectionException: cannot connect to Redis",
            $reported[0]->getMessage()
        );
        $this->assertInstanceOf(ConnectionException::class, $reported[0]->getPrevious());
    }

    public function testATlsRedisConnectionNeverBreaksAPageEvenWithFailOpen(): void
    {
        // A counter config the extension refuses (a TLS connection whose CA file does not
        // exist; on a build without TLS, TLS itself): a Tally\InvalidArgumentException, which
        // counter.fail_open never swallows, yet the page is served.
        $this->reconfigure([
            'database.redis.default.scheme' => 'tls',
            'database.redis.default.context' => ['stream' => ['cafile' => '/nonexistent/tally-ca.crt']],
            'counter.fail_open' => true,
        ]);

        $response = $this->http->send('GET', '/checking/x');
        $this->assertSame([200, 'x'], [$response->getStatusCode(), $response->getContent()]);
        $reported = $this->exceptions()->reported;
        $this->assertCount(1, $reported);
        $this->assertStringStartsWith(
            "counting the hit of 'checking' (tally.hits) failed; the response was sent without it: Tally\\InvalidArgumentException: ",
            $reported[0]->getMessage()
        );
        $this->assertInstanceOf(\Tally\InvalidArgumentException::class, $reported[0]->getPrevious());
    }

    public function testTrackingFailuresAreReportedAtMostOncePerMinutePerProcess(): void
    {
        $reports = [];
        $report = function (\Throwable $e) use (&$reports): void {
            $reports[] = $e->getMessage();
        };
        $e = new ConnectionException('cannot connect to Redis at 127.0.0.1:1');
        $times = [1000.0, 1010.0, 1059.9, 1060.0, 1061.0, 1200.0];
        $sent = array_map(fn (float $t): bool => TrackingFailures::record("counting the hit of 'home' (tally.hits)", $e, $report, $t), $times);

        $this->assertSame([true, false, false, true, false, true], $sent);
        $this->assertSame([
            "counting the hit of 'home' (tally.hits) failed; the response was sent without it: Tally\\ConnectionException: cannot connect to Redis at 127.0.0.1:1",
            "counting the hit of 'home' (tally.hits) failed; the response was sent without it (2 more tracking failures in the 60 s since the last report went unreported): Tally\\ConnectionException: cannot connect to Redis at 127.0.0.1:1",
            "counting the hit of 'home' (tally.hits) failed; the response was sent without it (1 more tracking failure in the 140 s since the last report went unreported): Tally\\ConnectionException: cannot connect to Redis at 127.0.0.1:1",
        ], $reports);
    }
}
