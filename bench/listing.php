<?php
/**
 * Listing benchmark (issue 16 item 1), every ratio within one run: a page of 50 owners,
 * each showing one counter, read exactly.
 *
 *   getForMany   one getForMany() of 50 owners (one pipeline of read scripts, one SQL
 *                query) vs 50 get() calls (50 scripts, 50 queries): target >= 10x
 *   naive loop   the same 50 get() calls vs 50 phpredis hGet() + a prepared PDO SELECT,
 *                for scale
 *   Laravel      $products->loadCounters(['downloads']) then 50 $p->counter() (no I/O) vs
 *                50 $p->counter() calls, in a Laravel 12 app (vendor/), SQLite file:
 *                target >= 10x
 *
 * On SQLite (a file) and MariaDB, each owner with a synced row and a pending delta.
 * Run through bench/listing (own Redis + MariaDB), or with the TALLY_TEST_* variables of
 * scripts/services set:
 *   php -d extension=modules/tally.so bench/listing.php [--quick] [--reps=N]
 */
declare(strict_types=1);

require __DIR__ . '/lib.php';

use Tally\Counter;

$opts = getopt('', ['quick', 'reps:']);
$quick = isset($opts['quick']);
$reps = (int) ($opts['reps'] ?? ($quick ? 1 : 5));
$seconds = $quick ? 0.2 : 1.0;
if (!extension_loaded('tally')) fail('the tally extension is not loaded: php -d extension=modules/tally.so ...');
if (!extension_loaded('redis')) fail('phpredis is not loaded (php8.2-redis)');

$host = bench_env('TALLY_TEST_REDIS_HOST', '127.0.0.1');
$port = (int) bench_env('TALLY_TEST_REDIS_PORT');
$cfg = mysql_config();
$table = 'bench_listing';
$pdoMy = connect_pdo($cfg);
create_tables($pdoMy, [$table]);
$sqlitePath = sys_get_temp_dir() . '/tally-bench-listing-' . getmypid() . '.sqlite';
@unlink($sqlitePath);
$sinks = [
    'SQLite' => [new Tally\Database(['driver' => 'sqlite', 'path' => $sqlitePath, 'table' => $table]), null],
    'MariaDB' => [tally_database($cfg, $table), $pdoMy],
];
$sinks['SQLite'][0]->createTables();
$sinks['SQLite'][1] = new PDO("sqlite:$sqlitePath", null, null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
$c = new Counter(['host' => $host, 'port' => $port, 'prefix' => 'lbench:']);
$r = new Redis();
$r->connect($host, $port);
$ids = range(1, 50);
$out = new BenchTable();
$targets = [];

foreach ($sinks as $name => [$db, $pdo]) {
    foreach ($ids as $id) $c->forget('product', $id);
    foreach ($ids as $id) $c->increment('product', $id, 'downloads', $id);
    $c->sync($db);
    foreach ($ids as $id) $c->increment('product', $id, 'downloads', 1);
    $want = array_map(fn ($id) => $id + 1, $ids);
    $many = array_map(fn ($row) => $row['downloads'], $c->getForMany($db, 'product', $ids, ['downloads']));
    if (array_values($many) !== $want) fail("$name: getForMany() read " . json_encode($many));
    $select = $pdo->prepare("SELECT `count` FROM `$table` WHERE `owner_type` = ? AND `owner_id` = ? AND `key` = ? AND `period` = '' AND `period_start` = '1970-01-01'");
    if ($name === 'SQLite') {
        $select = $pdo->prepare("SELECT \"count\" FROM \"$table\" WHERE \"owner_type\" = ? AND \"owner_id\" = ? AND \"key\" = ? AND \"period\" = '' AND \"period_start\" = '1970-01-01'");
    }
    $contenders = [
        'many' => ['getForMany() of 50 owners', function () use ($c, $db, $ids) {
            $c->getForMany($db, 'product', $ids, ['downloads']);
            return 1;
        }],
        'gets' => ['50 get()', function () use ($c, $db, $ids) {
            foreach ($ids as $id) $c->get($db, 'product', $id, 'downloads');
            return 1;
        }],
        'naive' => ['50 x (phpredis hGet() + PDO SELECT)', function () use ($r, $select, $ids) {
            foreach ($ids as $id) {
                $v = (int) $r->hGet("lbench:{product:$id}", 'downloads');
                $select->execute(['product', (string) $id, 'downloads']);
                $v += (int) $select->fetchColumn();
            }
            return 1;
        }],
    ];
    $res = run_case($contenders, $reps * 2 + 1, $seconds);
    $out->add("$name: a page of 50", $contenders, $res, 'many');
    $targets[] = ["$name: getForMany() vs 50 get()", $res['many'] / $res['gets'], 10.0];
    foreach ($ids as $id) $c->forget('product', $id);
}

// ---- Laravel: loadCounters() vs 50 counter() ----------------------------------------------
$autoload = dirname(__DIR__) . '/vendor/autoload.php';
if (!is_file($autoload)) {
    $targets[] = ['Laravel: loadCounters() vs 50 counter()', 'not run: no vendor/ (composer install)'];
} else {
    require $autoload;
    $lpath = sys_get_temp_dir() . '/tally-bench-listing-laravel-' . getmypid() . '.sqlite';
    @unlink($lpath);
    touch($lpath);
    $config = Tally\Laravel\Tests\Fixtures\Laravel::config('');
    $config['database']['connections']['testing'] = ['driver' => 'sqlite', 'database' => $lpath, 'prefix' => '', 'foreign_key_constraints' => true];
    $config['counter'] = ['prefix' => 'lbench-laravel-' . getmypid() . ':'];   // a run of its own, whatever an aborted one left
    $app = Tally\Laravel\Tests\Fixtures\Laravel::boot(sys_get_temp_dir(), $config, 'production');
    $app->make(Illuminate\Contracts\Console\Kernel::class)->call('migrate', ['--force' => true]);
    $app->make('db')->connection()->getSchemaBuilder()->create('users', function ($t): void {
        $t->id();
        $t->string('name')->default('');
    });
    $users = new Illuminate\Database\Eloquent\Collection();
    for ($i = 0; $i < 50; $i++) $users->push(Tally\Laravel\Tests\Fixtures\User::create());
    foreach ($users as $u) $u->incrementCounter('downloads', 3);
    $app->make(Illuminate\Contracts\Console\Kernel::class)->call('counter:sync');
    foreach ($users as $u) $u->incrementCounter('downloads', 1);
    // The page's models are fetched once: what is timed is reading their counters.
    $loadedPage = Tally\Laravel\Tests\Fixtures\User::query()->orderBy('id')->limit(50)->get();
    $plainPage = Tally\Laravel\Tests\Fixtures\User::query()->orderBy('id')->limit(50)->get();
    $loaded = $loadedPage->loadCounters(['downloads'])->map(fn ($u) => $u->counter('downloads'))->all();
    if ($loaded !== array_fill(0, 50, 4)) fail('loadCounters() read ' . json_encode($loaded));
    $contenders = [
        'load' => ['loadCounters() + 50 counter()', function () use ($loadedPage) {
            $sum = 0;
            foreach ($loadedPage->loadCounters(['downloads']) as $u) $sum += $u->counter('downloads');
            return 1;
        }],
        'calls' => ['50 counter()', function () use ($plainPage) {
            $sum = 0;
            foreach ($plainPage as $u) $sum += $u->counter('downloads');
            return 1;
        }],
    ];
    $res = run_case($contenders, $reps * 2 + 1, $seconds);
    $out->add('Laravel: a page of 50 (SQLite)', $contenders, $res, 'load');
    $targets[] = ['Laravel: loadCounters() vs 50 counter()', $res['load'] / $res['calls'], 10.0];
    foreach ($users as $u) $u->deleteCounter('downloads');
    @unlink($lpath);
}

$out->print('pages/s');
print_targets($targets);
drop_tables($pdoMy, [$table]);
@unlink($sqlitePath);
