<?php
/**
 * Periods benchmark (issue 15's speed targets), every ratio within one run:
 *
 *   increment   increment() into the lifetime counter + day + month (one script) vs a plain
 *               increment() (one HINCRBY): one round trip either way, target >= 0.9x
 *   history     history() of 30 days (one script, one SQL range query) vs a single exact
 *               get() (one script, one SQL query), MariaDB: target >= 0.8x
 *   floors      what the same round trips cost without tally, in the same runs as the first
 *               two: phpredis running the least script of three HINCRBYs (no all or nothing)
 *               vs phpredis HINCRBY; PDO running tally's 30-row range query vs its one-row one
 *   sync        sync() of counters that each carry two periods (3 rows per counter) vs raw
 *               1000-row upserts of the same rows through PDO (tally's statement, one
 *               transaction each, no Redis): rows per second, target >= 0.9x
 *
 * Run through bench/periods (own Redis + MariaDB), or with the TALLY_TEST_* variables of
 * scripts/services set:
 *   php -d extension=modules/tally.so bench/periods.php [--quick] [--owners=N] [--reps=N]
 */
declare(strict_types=1);

require __DIR__ . '/lib.php';

use Tally\Counter;

$opts = getopt('', ['quick', 'owners:', 'reps:']);
$quick = isset($opts['quick']);
$owners = (int) ($opts['owners'] ?? ($quick ? 500 : 10000));   // x 10 keys x 3 rows
$reps = (int) ($opts['reps'] ?? ($quick ? 1 : 5));
$seconds = $quick ? 0.2 : 1.0;
if (!extension_loaded('tally')) fail('the tally extension is not loaded: php -d extension=modules/tally.so ...');
if (!extension_loaded('pdo_mysql')) fail('pdo_mysql is not loaded (php8.2-mysql)');
if (!extension_loaded('redis')) fail('phpredis is not loaded (php8.2-redis): the floors are measured with it');

$cfg = mysql_config();
$redis = ['host' => bench_env('TALLY_TEST_REDIS_HOST', '127.0.0.1'), 'port' => (int) bench_env('TALLY_TEST_REDIS_PORT')];
$pdo = connect_pdo($cfg);
$table = 'bench_periods';
create_tables($pdo, [$table, 'bench_periods_raw']);
$db = tally_database($cfg, $table);
$c = new Counter($redis + ['prefix' => 'pbench:']);
$clear = function () use ($c): void {
    for ($id = 0; $id < 1000; $id++) $c->forget('post', $id);
};
$clear();
$out = new BenchTable();
$targets = [];
$day = '2026-12-02';

// ---- increments ------------------------------------------------------------------------
$i = 0;
$contenders = [
    'periods' => ["increment(... ['', 'day', 'month'])", function () use ($c, &$i, $day) {
        for ($k = 0; $k < 200; $k++) $c->increment('post', $i++ % 1000, 'views', 1, ['', 'day', 'month'], $day);
        return 200;
    }],
    'plain' => ['increment() (lifetime only)', function () use ($c, &$i) {
        for ($k = 0; $k < 200; $k++) $c->increment('post', $i++ % 1000, 'views');
        return 200;
    }],
];
// The floor under it, in the same run: any one-round-trip increment of three fields runs a
// script; the least one (three HINCRBYs, nothing undone on an overflow) against one HINCRBY,
// both phpredis, on hashes and fields shaped like tally's.
$pr = new Redis();
$pr->connect($redis['host'], $redis['port']);
$least = "local k, d = KEYS[1], ARGV[1]\nredis.call('HINCRBY', k, ARGV[2], d)\n"
       . "redis.call('HINCRBY', k, ARGV[3], d)\nreturn redis.call('HINCRBY', k, ARGV[4], d)\n";
$sha = $pr->script('load', $least);
$f = ['views', "\0d" . str_replace('-', '', $day) . 'views', "\0m" . substr(str_replace('-', '', $day), 0, 6) . '01views'];
$contenders += [
    'script' => ['  floor: phpredis EVALSHA of 3 x HINCRBY', function () use ($pr, $sha, $f, &$i) {
        for ($k = 0; $k < 200; $k++) $pr->evalSha($sha, ['pfloor:{post:' . ($i++ % 1000) . '}', '1', $f[0], $f[1], $f[2]], 1);
        return 200;
    }],
    'hincrby' => ['  floor: phpredis HINCRBY', function () use ($pr, $f, &$i) {
        for ($k = 0; $k < 200; $k++) $pr->hIncrBy('pfloor:{post:' . ($i++ % 1000) . '}', $f[0], 1);
        return 200;
    }],
];
$r = run_case($contenders, $reps * 2 + 1, $seconds);
$out->row('increment, two periods', $contenders['periods'][0], $r['periods'], null);
$out->row('', $contenders['plain'][0], $r['plain'], $r['periods'] / $r['plain']);
$out->row('', $contenders['script'][0], $r['script'], null);
$out->row('', $contenders['hincrby'][0], $r['hincrby'], $r['script'] / $r['hincrby']);
$targets[] = ['increment with two periods vs plain increment', $r['periods'] / $r['plain'], 0.9];
$targets[] = ['  its floor: least 3-field script vs HINCRBY', sprintf('%.2fx (no target)', $r['script'] / $r['hincrby'])];
$clear();
for ($id = 0; $id < 1000; $id++) $pr->del("pfloor:{post:$id}");

// ---- history vs get ----------------------------------------------------------------------
// 30 days of one counter in SQL, a few pending on top.
for ($d = 0; $d < 30; $d++) $c->increment('post', 1, 'views', $d + 1, ['', 'day'], date('Y-m-d', strtotime("$day -$d days")));
$c->sync($db);
$c->increment('post', 1, 'views', 1, ['', 'day'], $day);
$contenders = [
    'history' => ['history(30 days)', function () use ($c, $db, $day) {
        for ($k = 0; $k < 20; $k++) $c->history($db, 'post', 1, 'views', 'day', 30, $day);
        return 20;
    }],
    'get' => ['get() (one counter)', function () use ($c, $db) {
        for ($k = 0; $k < 20; $k++) $c->get($db, 'post', 1, 'views');
        return 20;
    }],
];
$h = $c->history($db, 'post', 1, 'views', 'day', 30, $day);
if (array_sum($h) !== 465 + 1 || $h[$day] !== 2) fail('history read wrong: ' . json_encode($h));
// The floor under it, in the same run: the two SQL queries alone, as tally sends them, through
// PDO (no Redis, no merge).
$range = $pdo->prepare("SELECT `key`, `period_start`, `count`, `sync_seq` FROM `$table` WHERE `owner_type` = ? AND `owner_id` = ? "
    . 'AND `period` = ? AND `period_start` BETWEEN ? AND ? AND `key` IN (?)');
$point = $pdo->prepare("SELECT `key`, `period_start`, `count`, `sync_seq` FROM `$table` WHERE `owner_type` = ? AND `owner_id` = ? "
    . 'AND `period` = ? AND `period_start` = ? AND `key` IN (?)');
$from = date('Y-m-d', strtotime("$day -29 days"));
$range->execute(['post', '1', 'day', $from, $day, 'views']);
if (count($range->fetchAll(PDO::FETCH_NUM)) !== 30) fail('the range query does not read the 30 stored days');
$contenders += [
    'range' => ['  floor: PDO, the 30-row range query', function () use ($range, $from, $day) {
        for ($k = 0; $k < 20; $k++) {
            $range->execute(['post', '1', 'day', $from, $day, 'views']);
            $range->fetchAll(PDO::FETCH_NUM);
        }
        return 20;
    }],
    'point' => ['  floor: PDO, the one-row query', function () use ($point) {
        for ($k = 0; $k < 20; $k++) {
            $point->execute(['post', '1', '', '1970-01-01', 'views']);
            $point->fetchAll(PDO::FETCH_NUM);
        }
        return 20;
    }],
];
$r = run_case($contenders, $reps * 2 + 1, $seconds);
$out->row('history of 30 days', $contenders['history'][0], $r['history'], null);
$out->row('', $contenders['get'][0], $r['get'], $r['history'] / $r['get']);
$out->row('', $contenders['range'][0], $r['range'], null);
$out->row('', $contenders['point'][0], $r['point'], $r['range'] / $r['point']);
$targets[] = ['history(30 days) vs one exact get()', $r['history'] / $r['get'], 0.8];
$targets[] = ['  its floor: the SQL alone, 30 rows vs 1', sprintf('%.2fx (no target)', $r['range'] / $r['point'])];
$c->forget('post', 1);

// ---- sync vs raw upserts -----------------------------------------------------------------
$work = sync_workload($owners, 10, ['views', 'downloads', 'likes', 'shares', 'comments']);
$rows = $owners * 10 * 3;
$params = [];
$cur = [];
foreach ($work as $id => $keys) {
    foreach ($keys as $k => $amount) {
        foreach ([['', '1970-01-01'], ['day', $day], ['month', '2026-12-01']] as [$p, $start]) {
            array_push($cur, 'post', (string) $id, $k, $p, $start, $amount, 1);
            if (count($cur) === 7000) {
                $params[] = $cur;
                $cur = [];
            }
        }
    }
}
if ($cur) $params[] = $cur;
$raw = function () use ($pdo, $params): float {
    $t = bench_now();
    $stmts = [];
    foreach ($params as $p) {
        $n = intdiv(count($p), 7);
        $st = $stmts[$n] ??= $pdo->prepare('INSERT INTO `bench_periods_raw` (`owner_type`, `owner_id`, `key`, `period`, `period_start`, `count`, `sync_seq`, `created_at`, `updated_at`) VALUES '
            . implode(', ', array_fill(0, $n, '(?, ?, ?, ?, ?, ?, ?, NOW(), NOW())'))
            . ' ON DUPLICATE KEY UPDATE `count` = `count` + VALUES(`count`), `sync_seq` = VALUES(`sync_seq`), `updated_at` = VALUES(`updated_at`)');
        $pdo->beginTransaction();
        $st->execute($p);
        $pdo->commit();
    }
    return bench_now() - $t;
};
$ratios = $tallyRates = $rawRates = [];
for ($rep = 0; $rep < $reps; $rep++) {
    create_tables($pdo, [$table, 'bench_periods_raw']);
    foreach ($work as $id => $keys) $c->incrementMany('post', $id, $keys, ['', 'day', 'month'], $day);
    settle($pdo);
    $t = bench_now();
    $report = $c->sync($db);
    $ts = bench_now() - $t;
    if ($report['synced'] !== $rows || $report['errors']) fail('sync wrote ' . $report['synced'] . " of $rows rows");
    settle($pdo);
    $rs = $raw();
    $got = (int) $pdo->query('SELECT COUNT(*) FROM `bench_periods`')->fetchColumn();
    if ($got !== $rows) fail("the table has $got rows, not $rows");
    $tallyRates[] = $rows / $ts;
    $rawRates[] = $rows / $rs;
    $ratios[] = ($rows / $ts) / ($rows / $rs);
    printf("  rep %d: sync %.3f s, raw %.3f s (%d rows)\n", $rep + 1, $ts, $rs, $rows);
}
$out->row('sync, 2 periods per counter', 'sync() of ' . number_format($owners * 10) . ' counters', median($tallyRates), null);
$out->row('', 'raw 1000-row upserts (PDO)', median($rawRates), median($ratios));
$targets[] = ['sync (3 rows per counter) vs raw upserts', median($ratios), 0.9];

$out->print('ops/s (rows/s for sync)');
print_targets($targets);
drop_tables($pdo, [$table, 'bench_periods_raw']);
