<?php
/**
 * Periods benchmark (issue 15's speed targets), every ratio within one run:
 *
 *   increment   increment() into the lifetime counter + day + month (one script) vs a plain
 *               increment() (one HINCRBY): one round trip either way, target >= 0.9x
 *   history     history() of 30 days (one script, one SQL range query) vs a single exact
 *               get() (one script, one SQL query), MariaDB: target >= 0.8x
 *   sync        sync() of counters that each carry two periods (3 rows per counter) vs raw
 *               1000-row upserts of the same rows through PDO (tally's statement, one
 *               transaction each, no Redis): rows per second, target >= 0.9x, checked
 *               with commits whose redo log is not flushed each time when a root session
 *               can set that (the shared fsync is what varies; see the sync section), the
 *               durable figures printed beside it
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
$r = run_case($contenders, $reps * 2 + 1, $seconds);
$out->add('increment, two periods', $contenders, $r, 'periods');
$targets[] = ['increment with two periods vs plain increment', $r['periods'] / $r['plain'], 0.9];
$clear();

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
$r = run_case($contenders, $reps * 2 + 1, $seconds);
$out->add('history of 30 days', $contenders, $r, 'history');
$targets[] = ['history(30 days) vs one exact get()', $r['history'] / $r['get'], 0.8];
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
/**
 * The sync case under one commit mode: $reps times, sync() then the raw upserts, each on
 * fresh tables from a quiet InnoDB. Returns [tally rows/s, raw rows/s, ratio], medians.
 */
$syncCase = function (string $mode) use ($pdo, $c, $db, $work, $table, $rows, $raw, $reps, $day): array {
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
        printf("  %s, rep %d: sync %.3f s, raw %.3f s (%d rows)\n", $mode, $rep + 1, $ts, $rs, $rows);
    }
    return [median($tallyRates), median($rawRates), median($ratios)];
};
// Each commit fsyncs the redo log (innodb_flush_log_at_trx_commit=1, the default): on this
// kind of VM a flush takes 2-5 ms and varies, which both contenders pay 300 times, so their
// ratio swings by +-15% from run to run. The same case without that flush (=2: the log is
// written at each commit, flushed once a second) measures what tally adds to the upserts
// with the shared cost taken out: a stricter ratio (a fixed cost added to both sides only
// brings it closer to 1) and a steadier one. The target is checked there when a root
// session can switch the mode; the durable figures are printed beside it.
$admin = admin_pdo();
[$ts, $rs, $ratio] = $syncCase('durable commits');
$out->row('sync, 2 periods per counter', 'sync() of ' . number_format($owners * 10) . ' counters', $ts, null);
$out->row('  (each commit flushed)', 'raw 1000-row upserts (PDO)', $rs, $ratio);
if ($admin) {
    $flush = (int) $admin->query('SELECT @@GLOBAL.innodb_flush_log_at_trx_commit')->fetchColumn();
    $admin->exec('SET GLOBAL innodb_flush_log_at_trx_commit = 2');
    try {
        [$ts, $rs, $ratio] = $syncCase('commits not flushed');
    } finally {
        $admin->exec("SET GLOBAL innodb_flush_log_at_trx_commit = $flush");
    }
    $out->row('sync, 2 periods per counter', 'sync() of ' . number_format($owners * 10) . ' counters', $ts, null);
    $out->row('  (log flushed once a second)', 'raw 1000-row upserts (PDO)', $rs, $ratio);
}
$targets[] = ['sync (3 rows per counter) vs raw upserts' . ($admin ? ', commits not flushed' : ''), $ratio, 0.9];

$out->print('ops/s (rows/s for sync)');
print_targets($targets);
drop_tables($pdo, [$table, 'bench_periods_raw']);
