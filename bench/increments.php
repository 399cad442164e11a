<?php
/**
 * Increment and read benchmark: tally against its peers, all in one run on one Redis, as
 * ops/s and ratios (tally's ops/s divided by the peer's: above 1 means tally is faster).
 *
 *   single     one increment per call: tally increment() vs phpredis HINCRBY and INCRBY,
 *              Predis HINCRBY, Laravel's Redis facade (Redis::hincrby, phpredis client) and
 *              Cache::increment on the redis store (the seed package's write path, key
 *              counter:{type}:{id}:{key})
 *   ten        ten counters of one owner per call: tally incrementMany() (one round trip,
 *              all or nothing) vs a phpredis loop of ten HINCRBY and a phpredis pipeline
 *   request    a "request" of 100 increments over 20 counters (4 owners x 5 keys): tally
 *              buffered (100 increment() + flush(), one pipeline of 20 HINCRBY) vs phpredis one
 *              by one (100 round trips) vs a hand-written phpredis pipeline of the 100 HINCRBY;
 *              also tally unbuffered, for reference
 *   read-*     exact reads from an SQLite file and from MariaDB, + Redis: one counter, ten
 *              counters of one owner, all counters of an owner; tally get()/getMany()/getAll()
 *              vs phpredis HGET/HMGET/HGETALL + a PDO SELECT prepared once, on the same table
 *              (the peer skips what tally also checks: in-flight and set-aside deltas); and
 *              Laravel's pair: $model->counter() vs Redis::hget() + DB::table()->value()
 *              (bench/laravel-reads.php)
 *   tls        over TLS (a build with TLS, the TLS-only Redis of scripts/services): tally
 *              increment() vs phpredis HINCRBY on a tls:// connection with the same CA, and
 *              the buffered request vs a phpredis pipeline; tally over plain TCP alongside,
 *              for TLS's cost (--tls-only: this case alone; bench/increments runs it with
 *              the hiredis 1.x build)
 *   cpu        instructions per increment under callgrind with the round trip taken out: a
 *              child php runs N and 2N increments, (I(2N) - I(N)) / N; the kernel's share of
 *              the round trip is not counted by callgrind
 *
 * Each contender runs for --seconds per run (at least one batch); a case reports the median
 * of --runs runs, the contenders' order rotating between runs. Counts are verified.
 *
 * Run through bench/increments (own Redis), or with TALLY_TEST_REDIS_PORT set:
 *   php -d extension=modules/tally.so bench/increments.php [--quick] [--runs=N] [--seconds=S]
 *       [--no-cpu] [--only=single,ten,request,read,cpu]
 */
declare(strict_types=1);

// Laravel and Predis come from the dev dependencies (composer install); loaded before lib.php,
// whose bench_env() gives way to Laravel's.
$autoload = dirname(__DIR__) . '/vendor/autoload.php';
$haveVendor = is_file($autoload);
if ($haveVendor) require $autoload;
require __DIR__ . '/lib.php';

const PREFIX = 'ibench:';
const OWNER = 'App\\Models\\User';

$opt = getopt('', ['quick', 'runs:', 'seconds:', 'no-cpu', 'only:', 'cg-child:', 'cg-n:', 'help', 'tls-only']);
if (isset($opt['help'])) {
    fwrite(STDOUT, "usage: php -d extension=modules/tally.so bench/increments.php [--quick] [--runs=N] [--seconds=S] [--no-cpu] [--only=CASES]\n");
    exit(0);
}
if (!extension_loaded('tally')) fail('the tally extension is not loaded: php -d extension=modules/tally.so ...');
if (!extension_loaded('redis')) fail('phpredis is not loaded (php8.2-redis)');
$port = (int) getenv('TALLY_TEST_REDIS_PORT');
if ($port <= 0) fail('TALLY_TEST_REDIS_PORT is not set: run bench/increments');
$host = getenv('TALLY_TEST_REDIS_HOST') ?: '127.0.0.1';

function phpredis(): Redis
{
    global $host, $port;
    $r = new Redis();
    $r->connect($host, $port, 2.0);
    return $r;
}

function tally(array $extra = []): Tally\Counter
{
    global $host, $port;
    return new Tally\Counter($extra + ['host' => $host, 'port' => $port, 'prefix' => PREFIX, 'read_timeout' => 10.0]);
}

// ---- callgrind child: N increments, nothing else -------------------------------------------

if (isset($opt['cg-child'])) {
    $n = (int) $opt['cg-n'];
    $who = $opt['cg-child'];
    if ($who === 'tally' || $who === 'tally-buffered') {
        $t = tally(['buffer' => $who === 'tally-buffered', 'buffer_limit' => 1000000]);
        $t->increment(OWNER, 1, 'cpu');
        for ($i = 0; $i < $n; $i++) $t->increment(OWNER, 1, 'cpu');
        $t->flush();
    } else {
        $r = phpredis();
        $r->hIncrBy(PREFIX . 'cpu', 'cpu', 1);
        for ($i = 0; $i < $n; $i++) $r->hIncrBy(PREFIX . 'cpu', 'cpu', 1);
    }
    exit(0);
}

$quick = isset($opt['quick']);
$runs = (int) ($opt['runs'] ?? ($quick ? 3 : 7));
$seconds = (float) ($opt['seconds'] ?? ($quick ? 0.04 : 0.4));
$only = isset($opt['only']) ? explode(',', (string) $opt['only']) : ['single', 'ten', 'request', 'read', 'cpu'];
if (isset($opt['no-cpu'])) $only = array_diff($only, ['cpu']);
if (isset($opt['tls-only'])) $only = ['tls'];
if ($runs < 1 || $seconds <= 0) fail('--runs and --seconds must be positive');

$havePredis = $haveVendor && class_exists(Predis\Client::class);
$haveLaravel = $haveVendor && class_exists(Illuminate\Foundation\Application::class);

/** A booted Laravel 12 application with the Redis and cache providers, on our Redis. */
function laravel(): Illuminate\Foundation\Application
{
    global $host, $port;
    $app = new Illuminate\Foundation\Application(sys_get_temp_dir());
    $app->instance('config', new Illuminate\Config\Repository([
        'app' => ['name' => 'bench', 'env' => 'production', 'debug' => false],
        'database' => ['redis' => [
            'client' => 'phpredis',
            'options' => ['prefix' => ''],
            'default' => ['host' => $host, 'port' => $port, 'database' => 0],
        ]],
        'cache' => [
            'default' => 'redis',
            'prefix' => '',
            'stores' => ['redis' => ['driver' => 'redis', 'connection' => 'default']],
        ],
    ]));
    Illuminate\Support\Facades\Facade::setFacadeApplication($app);
    $app->register(Illuminate\Redis\RedisServiceProvider::class);
    $app->register(Illuminate\Cache\CacheServiceProvider::class);
    $app->boot();
    return $app;
}

$report = new BenchTable();

$redis = phpredis();
$redis->del($redis->keys(PREFIX . '*') ?: ['none']);

// ---- single increments -----------------------------------------------------------------------

if (in_array('single', $only, true)) {
    $t = tally();
    $r = phpredis();
    $batch = 50;
    $c = [
        'tally' => ['tally increment()', function () use ($t, $batch) {
            for ($i = 0; $i < $batch; $i++) $t->increment(OWNER, 1, 'views');
            return $batch;
        }],
        'hincrby' => ['phpredis hIncrBy()', function () use ($r, $batch) {
            for ($i = 0; $i < $batch; $i++) $r->hIncrBy(PREFIX . '{App%5CModels%5CUser:1}', 'views', 1);
            return $batch;
        }],
        'incrby' => ['phpredis incrBy()', function () use ($r, $batch) {
            for ($i = 0; $i < $batch; $i++) $r->incrBy(PREFIX . 'user:1:views', 1);
            return $batch;
        }],
    ];
    if ($havePredis) {
        $p = new Predis\Client(['host' => $host, 'port' => $port]);
        $c['predis'] = ['Predis hincrby()', function () use ($p, $batch) {
            for ($i = 0; $i < $batch; $i++) $p->hincrby(PREFIX . 'predis:{user:1}', 'views', 1);
            return $batch;
        }];
    }
    if ($haveLaravel) {
        laravel();
        $c['facade'] = ['Laravel Redis::hincrby()', function () use ($batch) {
            for ($i = 0; $i < $batch; $i++) Illuminate\Support\Facades\Redis::hincrby(PREFIX . 'facade:{user:1}', 'views', 1);
            return $batch;
        }];
        $c['cache'] = ['Laravel Cache::increment() (seed)', function () use ($batch) {
            for ($i = 0; $i < $batch; $i++) Illuminate\Support\Facades\Cache::increment(PREFIX . 'counter:user:1:views');
            return $batch;
        }];
    }
    $report->add('single increment', $c, run_case($c, $runs, $seconds), 'tally');
}

// ---- over TLS --------------------------------------------------------------------------------

if (in_array('tls', $only, true)) {
    $tlsPort = (int) getenv('TALLY_TEST_REDIS_TLS_PORT');
    $ca = getenv('TALLY_TEST_TLS_DIR') . '/ca.crt';
    if ($tlsPort <= 0) fail('TALLY_TEST_REDIS_TLS_PORT is not set: run bench/increments');
    $tt = tally(['port' => $tlsPort, 'tls' => true, 'tls_ca_file' => $ca]);
    $tp = tally();
    $rt = new Redis();
    $rt->connect("tls://$host", $tlsPort, 2.0, null, 0, 0, ['stream' => ['cafile' => $ca, 'peer_name' => 'localhost']]);
    $batch = 50;
    $c = [
        'tally' => ['tally increment() over TLS', function () use ($tt, $batch) {
            for ($i = 0; $i < $batch; $i++) $tt->increment(OWNER, 1, 'views');
            return $batch;
        }],
        'hincrby' => ['phpredis hIncrBy() over TLS', function () use ($rt, $batch) {
            for ($i = 0; $i < $batch; $i++) $rt->hIncrBy(PREFIX . '{App%5CModels%5CUser:1}', 'views', 1);
            return $batch;
        }],
        'plain' => ['tally increment() over plain TCP', function () use ($tp, $batch) {
            for ($i = 0; $i < $batch; $i++) $tp->increment(OWNER, 1, 'views');
            return $batch;
        }],
    ];
    $report->add('TLS: single increment', $c, run_case($c, $runs, $seconds), 'tally');
    $bt = tally(['port' => $tlsPort, 'tls' => true, 'tls_ca_file' => $ca, 'buffer' => true, 'prefix' => PREFIX . 'treq:']);
    $bp = tally(['buffer' => true, 'prefix' => PREFIX . 'treq:']);
    $work = [];
    for ($i = 0; $i < 100; $i++) $work[] = [OWNER, 100 + $i % 4, 'key' . intdiv($i % 20, 4)];
    $hashes = [];
    foreach ($work as [$type, $id, $key]) $hashes[] = [PREFIX . "treq:{App%5CModels%5CUser:$id}", $key];
    $c = [
        'buffered' => ['tally buffered request over TLS', function () use ($bt, $work) {
            foreach ($work as [$type, $id, $key]) $bt->increment($type, $id, $key);
            if ($bt->flush() !== 20) fail('a buffered request did not send 20 counters');
            return 1;
        }],
        'pipeline' => ['phpredis pipeline of 100 hIncrBy() over TLS', function () use ($rt, $hashes) {
            $p = $rt->multi(Redis::PIPELINE);
            foreach ($hashes as [$h, $k]) $p->hIncrBy($h, $k, 1);
            $p->exec();
            return 1;
        }],
        'plain' => ['tally buffered request over plain TCP', function () use ($bp, $work) {
            foreach ($work as [$type, $id, $key]) $bp->increment($type, $id, $key);
            if ($bp->flush() !== 20) fail('a buffered request did not send 20 counters');
            return 1;
        }],
    ];
    $report->add('TLS: request, 100 incr', $c, run_case($c, $runs, $seconds), 'buffered');
    // Every TLS increment landed exactly once: 100 per request.
    $sum = 0;
    foreach ($rt->keys(PREFIX . 'treq:*') as $h) $sum += array_sum($rt->hGetAll($h));
    if ($sum % 100 !== 0) fail("TLS request case: $sum increments stored, not a multiple of 100");
    $rt->del($rt->keys(PREFIX . '*') ?: ['none']);
}

// ---- ten counters of one owner ---------------------------------------------------------------

if (in_array('ten', $only, true)) {
    $t = tally();
    $r = phpredis();
    $keys = array_map(fn ($i) => "k$i", range(0, 9));
    $amounts = array_fill_keys($keys, 1);
    $hash = PREFIX . 'ten:{user:1}';
    $batch = 20;
    $c = [
        'tally' => ['tally incrementMany() (1 round trip)', function () use ($t, $amounts, $batch) {
            for ($i = 0; $i < $batch; $i++) $t->incrementMany(OWNER, 2, $amounts);
            return $batch;
        }],
        'loop' => ['phpredis 10x hIncrBy()', function () use ($r, $keys, $hash, $batch) {
            for ($i = 0; $i < $batch; $i++) {
                foreach ($keys as $k) $r->hIncrBy($hash, $k, 1);
            }
            return $batch;
        }],
        'pipeline' => ['phpredis pipeline of 10 hIncrBy()', function () use ($r, $keys, $hash, $batch) {
            for ($i = 0; $i < $batch; $i++) {
                $p = $r->multi(Redis::PIPELINE);
                foreach ($keys as $k) $p->hIncrBy($hash, $k, 1);
                $p->exec();
            }
            return $batch;
        }],
    ];
    $report->add('10 counters, 1 owner', $c, run_case($c, $runs, $seconds), 'tally');
}

// ---- a request: 100 increments over 20 counters ----------------------------------------------

if (in_array('request', $only, true)) {
    $buffered = tally(['buffer' => true, 'prefix' => PREFIX . 'req:']);
    $plain = tally(['prefix' => PREFIX . 'req:']);
    $r = phpredis();
    $work = [];
    for ($i = 0; $i < 100; $i++) $work[] = [OWNER, 100 + $i % 4, 'key' . intdiv($i % 20, 4)];
    $hashes = [];
    foreach ($work as [$type, $id, $key]) $hashes[] = [PREFIX . "req:{App%5CModels%5CUser:$id}", $key];
    $c = [
        'buffered' => ['tally buffered: 100 increment() + flush()', function () use ($buffered, $work) {
            foreach ($work as [$type, $id, $key]) $buffered->increment($type, $id, $key);
            if ($buffered->flush() !== 20) fail('a buffered request did not send 20 counters');
            return 1;
        }],
        'one' => ['phpredis 100x hIncrBy()', function () use ($r, $hashes) {
            foreach ($hashes as [$h, $k]) $r->hIncrBy($h, $k, 1);
            return 1;
        }],
        'pipeline' => ['phpredis pipeline of 100 hIncrBy()', function () use ($r, $hashes) {
            $p = $r->multi(Redis::PIPELINE);
            foreach ($hashes as [$h, $k]) $p->hIncrBy($h, $k, 1);
            $p->exec();
            return 1;
        }],
        'plain' => ['tally unbuffered: 100 increment()', function () use ($plain, $work) {
            foreach ($work as [$type, $id, $key]) $plain->increment($type, $id, $key);
            return 1;
        }],
    ];
    $redis->del($redis->keys(PREFIX . 'req:*') ?: ['none']);
    $report->add('request: 100 incr, 20 counters', $c, run_case($c, $runs, $seconds), 'buffered');
    // Every increment landed exactly once: all four wrote the same hashes, 100 per request.
    $sum = 0;
    foreach ($redis->keys(PREFIX . 'req:*') as $h) $sum += array_sum($redis->hGetAll($h));
    if ($sum % 100 !== 0) fail("request case: $sum increments stored, not a multiple of 100");
}

// ---- exact reads: SQL + pending ----------------------------------------------------------------

/**
 * The read cases on one database: tally get()/getMany(10)/getAll() on $db vs phpredis
 * HGET/HMGET/HGETALL + a PDO statement prepared once, on the same table and rows.
 */
function read_cases(BenchTable $report, string $label, Tally\Database $db, PDO $pdo, string $q, int $runs, float $seconds): void
{
    $t = tally(['prefix' => PREFIX . 'read:']);
    $t->forget(OWNER, 1);
    $keys = array_map(fn ($i) => "k$i", range(0, 9));
    // Stored: 10 counters of owner 1; then pending deltas for them.
    $t->incrementMany(OWNER, 1, array_fill_keys($keys, 100));
    $t->sync($db);
    $t->incrementMany(OWNER, 1, array_fill_keys($keys, 5));
    $table = $db->getTable();
    $one = $pdo->prepare("SELECT {$q}count{$q} FROM {$q}$table{$q} WHERE owner_type = ? AND owner_id = ? AND {$q}key{$q} = ?");
    $many = $pdo->prepare("SELECT {$q}key{$q}, {$q}count{$q} FROM {$q}$table{$q} WHERE owner_type = ? AND owner_id = ? AND {$q}key{$q} IN ("
        . implode(',', array_fill(0, 10, '?')) . ')');
    $all = $pdo->prepare("SELECT {$q}key{$q}, {$q}count{$q} FROM {$q}$table{$q} WHERE owner_type = ? AND owner_id = ?");
    $r = phpredis();
    $hash = PREFIX . 'read:{App%5CModels%5CUser:1}';
    $batch = 20;
    $expect = array_fill_keys($keys, 105);

    $peerOne = function () use ($one, $r, $hash): int {
        $one->execute([OWNER, '1', 'k3']);
        return (int) $one->fetchColumn() + (int) $r->hGet($hash, 'k3');
    };
    $peerMany = function () use ($many, $r, $hash, $keys): array {
        $many->execute(array_merge([OWNER, '1'], $keys));
        $out = array_fill_keys($keys, 0);
        foreach ($many->fetchAll(PDO::FETCH_NUM) as [$k, $v]) $out[$k] = (int) $v;
        foreach ($r->hMGet($hash, $keys) as $k => $v) $out[$k] += (int) $v;
        return $out;
    };
    $peerAll = function () use ($all, $r, $hash): array {
        $all->execute([OWNER, '1']);
        $out = [];
        foreach ($all->fetchAll(PDO::FETCH_NUM) as [$k, $v]) $out[$k] = (int) $v;
        foreach ($r->hGetAll($hash) as $k => $v) $out[$k] = ($out[$k] ?? 0) + (int) $v;
        return $out;
    };
    if ($t->get($db, OWNER, 1, 'k3') !== 105 || $peerOne() !== 105 || $t->getMany($db, OWNER, 1, $keys) !== $expect
        || $peerMany() !== $expect || $t->getAll($db, OWNER, 1) != $expect || $peerAll() != $expect) {
        fail("the read contenders disagree on the values ($label)");
    }
    $cases = [
        "read $label: 1 counter" => [fn () => $t->get($db, OWNER, 1, 'k3'), $peerOne, 'tally get()', 'phpredis hGet() + PDO SELECT'],
        "read $label: 10 counters" => [fn () => $t->getMany($db, OWNER, 1, $keys), $peerMany, 'tally getMany()', 'phpredis hMGet() + PDO SELECT IN'],
        "read $label: all counters" => [fn () => $t->getAll($db, OWNER, 1), $peerAll, 'tally getAll()', 'phpredis hGetAll() + PDO SELECT'],
    ];
    foreach ($cases as $name => [$tf, $pf, $tl, $pl]) {
        $c = [
            'tally' => [$tl, function () use ($tf, $batch) {
                for ($i = 0; $i < $batch; $i++) $tf();
                return $batch;
            }],
            'peer' => [$pl, function () use ($pf, $batch) {
                for ($i = 0; $i < $batch; $i++) $pf();
                return $batch;
            }],
        ];
        $report->add($name, $c, run_case($c, $runs, $seconds), 'tally');
    }
    $t->forget(OWNER, 1);
}

if (in_array('read', $only, true)) {
    if (!extension_loaded('pdo_sqlite')) fail('pdo_sqlite is not loaded (php8.2-sqlite3)');
    $path = sys_get_temp_dir() . '/tally-bench-increments-' . getmypid() . '.sqlite';
    foreach (['', '-wal', '-shm', '-journal'] as $s) @unlink($path . $s);
    $db = new Tally\Database(['driver' => 'sqlite', 'path' => $path]);
    $db->createTables();
    $pdo = new PDO("sqlite:$path", null, null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
    read_cases($report, 'SQLite', $db, $pdo, '"', $runs, $seconds);
    unset($db, $pdo);
    foreach (['', '-wal', '-shm', '-journal'] as $s) @unlink($path . $s);

    if (!extension_loaded('pdo_mysql')) fail('pdo_mysql is not loaded (php8.2-mysql)');
    $cfg = mysql_config();
    $pdo = connect_pdo($cfg);
    create_tables($pdo, ['bench_reads']);
    read_cases($report, 'MariaDB', tally_database($cfg, 'bench_reads'), $pdo, '`', $runs, $seconds);
    $pdo->exec('DROP TABLE IF EXISTS `bench_reads`, `bench_reads_sync`');
    unset($pdo);
}

if (in_array('read', $only, true) && $haveLaravel) {
    require __DIR__ . '/laravel-reads.php';
    laravel_read_case($report, $runs, $seconds);
}

// ---- instructions per increment (callgrind) ----------------------------------------------------

$cpu = [];
if (in_array('cpu', $only, true)) {
    $valgrind = trim((string) shell_exec('command -v valgrind'));
    if ($valgrind === '') {
        fwrite(STDERR, "bench/increments: valgrind not found: the cpu case is skipped\n");
    } else {
        $n = $quick ? 300 : 3000;
        $so = null;
        foreach (explode("\n", (string) @file_get_contents('/proc/self/maps')) as $line) {
            if (preg_match('~\s(/\S*/tally\.so)$~', $line, $m)) $so = $m[1];
        }
        $instr = function (string $who, int $count) use ($valgrind, $so): int {
            $out = tempnam(sys_get_temp_dir(), 'tally-cg-');
            $cmd = [$valgrind, '--tool=callgrind', '--callgrind-out-file=' . $out, PHP_BINARY, '-d', 'extension=' . $so,
                __FILE__, '--cg-child=' . $who, '--cg-n=' . $count];
            exec(implode(' ', array_map('escapeshellarg', $cmd)) . ' 2>&1', $lines, $rc);
            $text = implode("\n", $lines);
            @unlink($out);
            if ($rc !== 0 || !preg_match('/Collected : (\d+)/', $text, $m)) fail("callgrind run for $who failed: $text");
            return (int) $m[1];
        };
        foreach (['tally' => 'tally increment()', 'tally-buffered' => 'tally increment(), buffered', 'phpredis' => 'phpredis hIncrBy()'] as $who => $label) {
            $cpu[$who] = [$label, ($instr($who, 2 * $n) - $instr($who, $n)) / $n];
        }
    }
}

// ---- report ------------------------------------------------------------------------------------

$report->print();
$w = BenchTable::WIDTHS;
if ($cpu) {
    printf("\n%-{$w[0]}s %-{$w[1]}s %{$w[2]}s %{$w[3]}s\n", 'cpu per increment (callgrind)', 'contender', 'instr', 'vs tally');
    echo str_repeat('-', array_sum($w) + 3), "\n";
    foreach ($cpu as $who => [$label, $i]) {
        printf("%-{$w[0]}s %-{$w[1]}s %{$w[2]}s %{$w[3]}s\n", '', $label, number_format($i, 0),
            $who === 'tally' ? '(tally)' : number_format($i / $cpu['tally'][1], 2));
    }
}
printf("\n%s mode: median of %d runs, %.2f s per contender per run; ratio = tally ops/s / peer ops/s\n",
    $quick ? 'quick' : 'full', $runs, $seconds);
if (!$havePredis || !$haveLaravel) echo "(Predis / Laravel peers skipped: run composer install for the dev dependencies)\n";

// The issue's targets, as ratios from this run.
$targets = [];
if (isset($report->results['single increment'])) {
    $s = $report->results['single increment'];
    $targets[] = ['single increment >= 1.0x phpredis hIncrBy', $s['tally'] / $s['hincrby'], 1.0];
    $targets[] = ['single increment >= 1.0x phpredis incrBy', $s['tally'] / $s['incrby'], 1.0];
}
if (isset($report->results['request: 100 incr, 20 counters'])) {
    $q = $report->results['request: 100 incr, 20 counters'];
    $targets[] = ['buffered request >= 20x phpredis one by one', $q['buffered'] / $q['one'], 20.0];
    $targets[] = ['buffered request >= 1.0x phpredis pipeline', $q['buffered'] / $q['pipeline'], 1.0];
}
if (isset($report->results['TLS: single increment'])) {
    $s = $report->results['TLS: single increment'];
    $q = $report->results['TLS: request, 100 incr'];
    $targets[] = ['TLS single increment >= 1.0x phpredis over TLS', $s['tally'] / $s['hincrby'], 1.0];
    $targets[] = ['TLS buffered request >= 1.0x phpredis pipeline', $q['buffered'] / $q['pipeline'], 1.0];
    printf("\nTLS cost for tally: single increment %.0f%% of plain TCP's ops/s, buffered request %.0f%%\n",
        100 * $s['tally'] / $s['plain'], 100 * $q['buffered'] / $q['plain']);
}
foreach ($report->results as $name => $r) {
    if (str_starts_with($name, 'read ') || str_starts_with($name, 'Laravel read ')) {
        $targets[] = ["$name >= 0.9x its peer", $r['tally'] / $r['peer'], 0.9];
    }
}
if (isset($cpu['tally'], $cpu['phpredis'])) {
    $targets[] = ['instructions per increment <= phpredis', $cpu['phpredis'][1] / $cpu['tally'][1], 1.0];
}
print_targets($targets);
$redis->del($redis->keys(PREFIX . '*') ?: ['none']);
