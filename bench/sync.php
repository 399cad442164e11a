<?php
/**
 * Sync benchmark: pending counters moved from Redis to MariaDB, three contenders in one run.
 *
 *   tally  Tally\Counter::sync() (filled through incrementMany, not timed)
 *   seed   the seed package's counter:sync algorithm in plain PHP (phpredis + PDO): plain
 *          string keys counter:{type}:{id}:{key}; SCAN MATCH counter:* COUNT 1000, batches
 *          of 1000 keys, pipelined GET, one transaction per batch of 200-row multi-row
 *          upserts, then the pipelined reclaim script (DECRBY by the synced value, DEL at 0)
 *   raw    only the SQL part: the same rows, in tally's write order, as 1000-row multi-row
 *          upserts through PDO (tally's statement), prepared once, one transaction per
 *          statement; no Redis
 *
 * Each contender writes its own table of the one schema (Tally\Database::schema('mysql')),
 * first on NEW rows (empty table), then on EXISTING rows (the same rows stored beforehand,
 * untimed: every upsert takes the duplicate path). Every run is verified (COUNT(*),
 * SUM(count), Redis drained under the prefix). --reps repetitions (default 7); the order of
 * the contenders rotates between repetitions, and InnoDB is brought to the same quiet state
 * before each timed run (settle()). Rates are medians; ratios are medians of the ratios
 * within each repetition.
 *
 * Run through bench/sync (own Redis + MariaDB), or directly with the TALLY_TEST_* variables
 * of scripts/services set:
 *   php -d extension=modules/tally.so bench/sync.php [--quick] [--owners=N] [--keys=N]
 *       [--reps=N] [--batch-size=N] [--no-extras]
 */
declare(strict_types=1);

require __DIR__ . '/lib.php';

use Tally\Counter;
use Tally\Database;

const SEED_PREFIX = 'counter:';
const TALLY_PREFIX = 'tbench:';
const OWNER_TYPE = 'user';
const KEY_NAMES = ['views', 'downloads', 'likes', 'shares', 'comments', 'visits', 'clicks', 'saves', 'follows', 'reports'];
// The seed's reclaim script (SyncCounters::RECLAIM_SCRIPT): subtract what was synced, DEL at 0.
const RECLAIM_SCRIPT = "local n = redis.call('DECRBY', KEYS[1], ARGV[1]) "
    . "if n == 0 then redis.call('DEL', KEYS[1]) end "
    . 'return n';

// ---- options and environment ----------------------------------------------------------------

$opt = getopt('', ['quick', 'owners:', 'keys:', 'reps:', 'batch-size:', 'no-extras', 'help']);
if (isset($opt['help'])) {
    fwrite(STDOUT, "usage: php -d extension=modules/tally.so bench/sync.php [--quick] [--owners=N] [--keys=N] [--reps=N] [--batch-size=N] [--no-extras]\n");
    exit(0);
}
$quick = isset($opt['quick']);
$owners = (int) ($opt['owners'] ?? ($quick ? 500 : 10000));
$keysPer = (int) ($opt['keys'] ?? 10);
$reps = (int) ($opt['reps'] ?? ($quick ? 1 : 7));
$extraReps = min($reps, 3);     // the breakdown after the table
$batchSize = (int) ($opt['batch-size'] ?? 1000);
$extras = !$quick && !isset($opt['no-extras']);
if ($owners < 1 || $keysPer < 1 || $reps < 1 || $batchSize < 1) {
    fail('--owners, --keys, --reps and --batch-size must be positive');
}
if (!extension_loaded('tally')) fail('the tally extension is not loaded: php -d extension=modules/tally.so ...');
if (!extension_loaded('redis')) fail('phpredis is not loaded (php8.2-redis)');
if (!extension_loaded('pdo_mysql')) fail('pdo_mysql is not loaded (php8.2-mysql)');

$cfg = [
    'redis_host' => bench_env('TALLY_TEST_REDIS_HOST', '127.0.0.1'),
    'redis_port' => (int) bench_env('TALLY_TEST_REDIS_PORT'),
    'redis_db' => (int) bench_env('TALLY_BENCH_REDIS_DB', '0'),
] + mysql_config();

$tables = ['tally' => 'bench_sync_tally', 'seed' => 'bench_sync_seed', 'raw' => 'bench_sync_raw'];
// The workload: owner id => [key => amount]; amounts 1..100, deterministic.
$work = sync_workload($owners, $keysPer, KEY_NAMES);
$n = $owners * $keysPer;

// ---- connections -----------------------------------------------------------------------------

// Every client talks TCP to 127.0.0.1, the same transport for the three contenders.
function connect_redis(array $cfg): Redis
{
    $r = new Redis();
    $r->connect($cfg['redis_host'], $cfg['redis_port'], 5.0);
    $r->setOption(Redis::OPT_READ_TIMEOUT, 60);
    if ($cfg['redis_db'] !== 0) $r->select($cfg['redis_db']);
    return $r;
}

$redis = connect_redis($cfg);
$pdo = connect_pdo($cfg);
$counter = new Counter([
    'host' => $cfg['redis_host'], 'port' => $cfg['redis_port'], 'database' => $cfg['redis_db'],
    'prefix' => TALLY_PREFIX, 'read_timeout' => 60.0,
]);
$tallyDb = tally_database($cfg, $tables['tally']);

// ---- helpers ---------------------------------------------------------------------------------

/** Keys under $prefix left in Redis (SCAN, never KEYS). */
function redis_count(Redis $r, string $prefix): int
{
    $it = null;
    $found = 0;
    $pattern = addcslashes($prefix, '*?[]\\') . '*';
    while (($keys = $r->scan($it, $pattern, 1000)) !== false) {
        $found += count($keys);
    }
    return $found;
}

/**
 * Checks the table holds exactly the rows of $work, summing to $times x what was issued
 * (naming the first rows that are off), and that Redis has nothing left under $prefix.
 */
function verify(PDO $pdo, Redis $r, string $table, array $work, int $times, ?string $prefix, string $what, ?array $report = null): void
{
    $rows = array_sum(array_map('count', $work));
    $sum = $times * array_sum(array_map('array_sum', $work));
    [$c, $s] = $pdo->query("SELECT COUNT(*), COALESCE(SUM(`count`), 0) FROM `$table`")->fetch(PDO::FETCH_NUM);
    if ((int) $c !== $rows || (int) $s !== $sum) {
        $off = [];
        foreach ($pdo->query("SELECT `owner_id`, `key`, `count` FROM `$table`") as [$id, $k, $v]) {
            $want = $times * ($work[(int) $id][$k] ?? 0);
            if ((int) $v !== $want && count($off) < 12) $off[] = OWNER_TYPE . "#$id $k = $v (expected $want)";
        }
        fail("$what: $table holds $c rows summing to $s, expected $rows rows summing to $sum"
            . ($report ? '; sync report ' . json_encode($report) : '') . ($off ? '; rows off: ' . implode(', ', $off) : ''));
    }
    if ($prefix !== null && ($left = redis_count($r, $prefix)) !== 0) {
        fail("$what: $left Redis keys left under '$prefix'");
    }
}

// ---- contender 1: tally ------------------------------------------------------------------------

function tally_fill(Counter $c, array $work): void
{
    foreach ($work as $id => $amounts) $c->incrementMany(OWNER_TYPE, $id, $amounts);
}

/** Times one sync; returns [seconds, report]. */
function tally_sync(Counter $c, Database $db, array $options): array
{
    $t = bench_now();
    $report = $c->sync($db, $options);
    $t = bench_now() - $t;
    if ($report['errors'] || $report['locked'] || $report['incomplete']) {
        fail('tally sync: failed: ' . json_encode($report));
    }
    return [$t, $report];
}

// ---- contender 2: the seed's algorithm -----------------------------------------------------------

function seed_fill(Redis $r, array $work): void
{
    $r->multi(Redis::PIPELINE);
    $queued = 0;
    foreach ($work as $id => $amounts) {
        foreach ($amounts as $k => $amount) {
            $r->incrBy(SEED_PREFIX . OWNER_TYPE . ":$id:$k", $amount);
            if (++$queued % 10000 === 0) {
                $r->exec();
                $r->multi(Redis::PIPELINE);
            }
        }
    }
    $r->exec();
}

/**
 * SyncCounters::handle() + scanAndProcess() without Laravel: an overlap lock, SCAN pages
 * buffered into batches of $batchSize keys, each batch through seed_batch(). Returns the
 * number of counters synced.
 */
function seed_sync(Redis $r, PDO $pdo, string $table, int $batchSize = 1000): int
{
    $lock = 'bench-seed:counter-sync-lock';
    $token = bin2hex(random_bytes(8));
    if (!$r->set($lock, $token, ['nx', 'ex' => 300])) fail('seed: lock held');
    $synced = 0;
    try {
        $it = null;
        $buffer = [];
        // COUNT = batch size, as the seed passes it.
        while (($found = $r->scan($it, SEED_PREFIX . '*', $batchSize)) !== false) {
            foreach ($found as $k) $buffer[$k] = true;
            while (count($buffer) >= $batchSize) {
                $batch = array_slice($buffer, 0, $batchSize, true);
                $buffer = array_slice($buffer, $batchSize, null, true);
                $synced += seed_batch($r, $pdo, $table, array_map('strval', array_keys($batch)));
            }
        }
        if ($buffer) $synced += seed_batch($r, $pdo, $table, array_map('strval', array_keys($buffer)));
    } finally {
        if ($r->get($lock) === $token) $r->del($lock);
    }
    return $synced;
}

/** Seconds the seed spent in its SQL phase (bulkAddDelta), summed over batches. */
$GLOBALS['seed_sql_seconds'] = 0.0;

/** processBatch(): parse, pipelined GET, upsert (bulkAddDelta), pipelined reclaim. */
function seed_batch(Redis $r, PDO $pdo, string $table, array $keys): int
{
    // Phase 1: parse "counter:{type}:{id}:{key}".
    $rows = [];
    $plen = strlen(SEED_PREFIX);
    foreach ($keys as $key) {
        if (!str_starts_with($key, SEED_PREFIX)) continue;
        $parts = explode(':', substr($key, $plen));
        if (count($parts) < 3) continue;
        $k = array_pop($parts);
        $id = array_pop($parts);
        $rows[] = [$key, implode(':', $parts), $id, $k];
    }
    if (!$rows) return 0;

    // Phase 2: one pipelined GET per key.
    $r->multi(Redis::PIPELINE);
    foreach ($rows as $row) $r->get($row[0]);
    $values = $r->exec();

    // Phase 3: deltas and the reclaim plan.
    $deltas = [];
    $plan = [];
    foreach ($rows as $i => $row) {
        $v = (int) ($values[$i] ?? 0);
        if ($v === 0) {
            if ((string) ($values[$i] ?? '') === '0') $plan[] = [$row[0], 0];
            continue;
        }
        $deltas[] = [$row[1], $row[2], $row[3], $v];
        $plan[] = [$row[0], $v];
    }

    // Phase 4: ModelCounter::bulkAddDelta(): merge duplicates, then one transaction of
    // 200-row upserts, each statement prepared when it runs (Laravel's statement()).
    if ($deltas) {
        $sqlStarted = bench_now();
        $byHash = [];
        foreach ($deltas as $d) {
            $h = $d[0] . "\0" . $d[1] . "\0" . $d[2];
            if (isset($byHash[$h])) {
                $byHash[$h][3] += $d[3];
            } else {
                $byHash[$h] = $d;
            }
        }
        $byHash = array_filter($byHash, fn (array $d): bool => $d[3] !== 0);
        $now = date('Y-m-d H:i:s');
        $pdo->beginTransaction();
        try {
            foreach (array_chunk(array_values($byHash), 200) as $chunk) {
                $sql = "INSERT INTO `$table` (`owner_type`, `owner_id`, `key`, `count`, `created_at`, `updated_at`) VALUES "
                    . implode(', ', array_fill(0, count($chunk), '(?, ?, ?, ?, ?, ?)'))
                    . ' ON DUPLICATE KEY UPDATE `count` = `count` + VALUES(`count`), `updated_at` = VALUES(`updated_at`)';
                $bindings = [];
                foreach ($chunk as $d) array_push($bindings, $d[0], $d[1], $d[2], $d[3], $now, $now);
                $pdo->prepare($sql)->execute($bindings);
            }
            $pdo->commit();
        } catch (Throwable $e) {
            $pdo->rollBack();
            throw $e;
        }
        $GLOBALS['seed_sql_seconds'] += bench_now() - $sqlStarted;
    }

    // Phase 5: pipelined reclaim script per key (DECRBY by the synced value, DEL at 0).
    if ($plan) {
        $r->multi(Redis::PIPELINE);
        foreach ($plan as [$key, $amount]) $r->eval(RECLAIM_SCRIPT, [$key, $amount], 1);
        $r->exec();
    }
    return count($deltas);
}

// ---- contender 3: raw SQL ----------------------------------------------------------------------

/**
 * The rows as parameter lists of $chunk-row statements, in the order tally writes them:
 * owners come in SCAN pages (hash order: random pages of about 1000 owners here), each
 * page sorted by key, an owner's counters together in the order they were first
 * incremented. Row order matters to InnoDB (index locality), so raw gets tally's.
 */
function raw_params(array $work, int $chunk): array
{
    $ids = array_keys($work);
    mt_srand(42);
    shuffle($ids);
    $ordered = [];
    foreach (array_chunk($ids, 1000) as $page) {
        $page = array_map('strval', $page);
        sort($page, SORT_STRING);
        array_push($ordered, ...$page);
    }
    $params = [];
    $cur = [];
    $rows = 0;
    foreach ($ordered as $id) {
        foreach ($work[(int) $id] as $k => $amount) {
            array_push($cur, OWNER_TYPE, $id, $k, '', '1970-01-01', $amount, 1);
            if (++$rows === $chunk) {
                $params[] = $cur;
                $cur = [];
                $rows = 0;
            }
        }
    }
    if ($cur) $params[] = $cur;
    return $params;
}

function raw_sql(string $table, int $rows): string
{
    // The statement tally's MySQL sink prepares, less the fence check in its first row.
    return "INSERT INTO `$table` (`owner_type`, `owner_id`, `key`, `period`, `period_start`, `count`, `sync_seq`, "
        . '`created_at`, `updated_at`) VALUES '
        . implode(', ', array_fill(0, $rows, '(?, ?, ?, ?, ?, ?, ?, NOW(), NOW())'))
        . ' ON DUPLICATE KEY UPDATE `count` = `count` + VALUES(`count`), `sync_seq` = VALUES(`sync_seq`), '
        . '`updated_at` = VALUES(`updated_at`)';
}

/** Times the upserts: each statement prepared once, one transaction per execution. */
function raw_run(PDO $pdo, string $table, array $params): float
{
    $t = bench_now();
    $stmts = [];
    foreach ($params as $p) {
        $rows = intdiv(count($p), 7);
        $st = $stmts[$rows] ??= $pdo->prepare(raw_sql($table, $rows));
        $pdo->beginTransaction();
        $st->execute($p);
        $pdo->commit();
    }
    return bench_now() - $t;
}

/**
 * The EXISTING case's starting point, the same for every contender (not timed): each row
 * already stored with its amount, inserted in owner id order, as rows accumulate over time.
 * Their physical order is thus unrelated to the order a sync writes in (SCAN's hash order),
 * as it is in production; reusing the table a contender's own NEW run left would reward
 * the contender whose second run happens to repeat its first run's order.
 */
function preload(PDO $pdo, string $table, array $work): void
{
    $rows = [];
    foreach ($work as $id => $amounts) {
        foreach ($amounts as $k => $amount) $rows[] = [OWNER_TYPE, (string) $id, $k, $amount];
    }
    $pdo->beginTransaction();
    foreach (array_chunk($rows, 1000) as $chunk) {
        $pdo->prepare("INSERT INTO `$table` (`owner_type`, `owner_id`, `key`, `count`, `created_at`, `updated_at`) VALUES "
            . implode(', ', array_fill(0, count($chunk), '(?, ?, ?, ?, NOW(), NOW())')))->execute(array_merge(...$chunk));
    }
    $pdo->commit();
}

// ---- one measurement of each contender: new rows, then existing rows ------------------------------

/** Calls per command since the last CONFIG RESETSTAT (commands run by scripts included). */
function redis_calls(Redis $r): array
{
    $out = [];
    foreach ($r->info('commandstats') as $name => $v) {
        if (preg_match('/calls=(\d+)/', (string) $v, $m)) $out[substr($name, strlen('cmdstat_'))] = (int) $m[1];
    }
    return $out;
}

/** The pid in a scripts/services pid file, when the services' state directory is known. */
function service_pid(string $name): ?int
{
    $dir = getenv('TALLY_SERVICES_DIR');
    $pid = $dir ? @file_get_contents("$dir/$name.pid") : false;
    return $pid !== false && ctype_digit(trim($pid)) && is_readable('/proc/' . trim($pid) . '/stat') ? (int) trim($pid) : null;
}

/** CPU seconds (user + system) of a process, from /proc (clock ticks). */
function proc_cpu(?int $pid): ?float
{
    if ($pid === null || ($stat = @file_get_contents("/proc/$pid/stat")) === false) return null;
    $f = explode(' ', substr($stat, strrpos($stat, ')') + 2));
    return ((int) $f[11] + (int) $f[12]) / 100;      // utime, stime; USER_HZ is 100 on Linux
}

/** CPU seconds so far: this PHP process, Redis, MariaDB (null when its pid is unknown). */
function cpu_snapshot(Redis $r, ?int $mysqlPid): array
{
    $ru = getrusage();
    $info = $r->info('cpu');
    return [
        'client' => $ru['ru_utime.tv_sec'] + $ru['ru_utime.tv_usec'] / 1e6 + $ru['ru_stime.tv_sec'] + $ru['ru_stime.tv_usec'] / 1e6,
        'redis' => (float) $info['used_cpu_user'] + (float) $info['used_cpu_sys'],
        'mysql' => proc_cpu($mysqlPid),
    ];
}

function cpu_delta(array $a, array $b): array
{
    return [
        'cpu_client' => $b['client'] - $a['client'],
        'cpu_redis' => $b['redis'] - $a['redis'],
        'cpu_mysql' => $a['mysql'] === null || $b['mysql'] === null ? NAN : $b['mysql'] - $a['mysql'],
    ];
}

/**
 * One measurement of a contender: new rows (empty table), then existing rows (see
 * preload()). Returns
 * [case => ['s' => seconds, 'cpu_client', 'cpu_redis', 'cpu_mysql' => CPU seconds of this
 * process, Redis and MariaDB during the timed part, ...]]; for the seed also 'sql'
 * (seconds in bulkAddDelta); for tally with $profile also 'gaps' (ms between batches,
 * from the progress callback) and 'calls' (Redis calls per command).
 */
function measure(string $who, array $ctx, array $tallyOptions = [], bool $profile = false): array
{
    ['pdo' => $pdo, 'redis' => $redis, 'counter' => $counter, 'tallyDb' => $tallyDb, 'tables' => $tables,
     'work' => $work, 'n' => $n, 'batchSize' => $batchSize, 'rawParams' => $rawParams,
     'mysqlPid' => $mysqlPid] = $ctx;
    $table = $tables[$who];
    $out = [];
    foreach (['new' => 1, 'existing' => 2] as $case => $times) {
        $pdo->exec("TRUNCATE TABLE `$table`");
        if ($case === 'existing') preload($pdo, $table, $work);
        switch ($who) {
            case 'tally':
                tally_fill($counter, $work);
                $options = $tallyOptions + ['batch_size' => $batchSize];
                $stamps = [];
                if ($profile) {
                    $options['progress'] = function (int $done) use (&$stamps): void { $stamps[] = bench_now(); };
                    $redis->rawCommand('CONFIG', 'RESETSTAT');
                }
                settle($pdo);
                $cpu = cpu_snapshot($redis, $mysqlPid);
                [$s, $report] = tally_sync($counter, $tallyDb, $options);
                $out[$case] = ['s' => $s] + cpu_delta($cpu, cpu_snapshot($redis, $mysqlPid));
                if ($profile) {
                    $out[$case]['calls'] = redis_calls($redis);
                    $end = $stamps ? array_pop($stamps) : bench_now();
                    $prev = $end - $report['seconds'];      // the run's start, from its own clock
                    $gaps = [];
                    foreach ([...$stamps, $end] as $x) {
                        $gaps[] = ($x - $prev) * 1000;
                        $prev = $x;
                    }
                    $out[$case]['gaps'] = $gaps;
                }
                verify($pdo, $redis, $table, $work, $times, TALLY_PREFIX, "tally ($case)", $report);
                if ($report['synced'] !== $n) fail("tally ($case): synced {$report['synced']} of $n: " . json_encode($report));
                break;
            case 'seed':
                seed_fill($redis, $work);
                settle($pdo);
                $GLOBALS['seed_sql_seconds'] = 0.0;
                $cpu = cpu_snapshot($redis, $mysqlPid);
                $t = bench_now();
                $synced = seed_sync($redis, $pdo, $table);
                $t = bench_now() - $t;
                $out[$case] = ['s' => $t, 'sql' => $GLOBALS['seed_sql_seconds']] + cpu_delta($cpu, cpu_snapshot($redis, $mysqlPid));
                if ($synced !== $n) fail("seed ($case): synced $synced of $n");
                verify($pdo, $redis, $table, $work, $times, SEED_PREFIX, "seed ($case)");
                break;
            case 'raw':
                settle($pdo);
                $cpu = cpu_snapshot($redis, $mysqlPid);
                $t = raw_run($pdo, $table, $rawParams);
                $out[$case] = ['s' => $t] + cpu_delta($cpu, cpu_snapshot($redis, $mysqlPid));
                verify($pdo, $redis, $table, $work, $times, null, "raw ($case)");
                break;
        }
    }
    return $out;
}

/** Median of one detail over repetitions: $runs[rep][case][$field]. */
function med(array $runs, string $case, string $field = 's'): float
{
    return median(array_map(fn (array $r): float => (float) $r[$case][$field], $runs));
}

/** The loaded tally.so (path, inode, mtime), to notice a rebuild during the run. */
function tally_so(): ?array
{
    foreach (@file('/proc/self/maps') ?: [] as $line) {
        if (preg_match('~\s(/\S*tally[^/\s]*\.so)$~', trim($line), $m) && ($st = @stat($m[1]))) {
            return ['path' => $m[1], 'ino' => $st['ino'], 'mtime' => $st['mtime'], 'size' => $st['size']];
        }
    }
    return null;
}

// ---- main ------------------------------------------------------------------------------------------

$dbsize = $redis->dbSize();
if (redis_count($redis, SEED_PREFIX) || redis_count($redis, TALLY_PREFIX)) {
    fail("Redis already holds keys under '" . SEED_PREFIX . "' or '" . TALLY_PREFIX . "': use a private Redis (bench/sync)");
}
create_tables($pdo, $tables);
$mariadb = $pdo->query('SELECT VERSION()')->fetchColumn();
$redisVersion = $redis->info('server')['redis_version'] ?? '?';
$so = tally_so();

$ctx = [
    'pdo' => $pdo, 'redis' => $redis, 'counter' => $counter, 'tallyDb' => $tallyDb, 'tables' => $tables,
    'work' => $work, 'n' => $n, 'batchSize' => $batchSize,
    'rawParams' => raw_params($work, 1000), 'mysqlPid' => service_pid('mysql'),
];

printf("Tally sync benchmark: %s counters over %s owners (%d keys each), batch_size %d, %d repetition%s (median)\n",
    number_format($n), number_format($owners), $keysPer, $batchSize, $reps, $reps > 1 ? 's' : '');
printf("MariaDB %s at %s:%d, Redis %s at %s:%d (db %d, %d other keys), PHP %s\n",
    $mariadb, $cfg['mysql_host'], $cfg['mysql_port'], $redisVersion, $cfg['redis_host'], $cfg['redis_port'],
    $cfg['redis_db'], $dbsize, PHP_VERSION);
if ($so) printf("tally: %s (sha1 %.12s, modified %s)\n", $so['path'], sha1_file($so['path']), date('Y-m-d H:i:s', $so['mtime']));

try {
    // Warm-up (not reported): connections, prepared statements, the Lua script cache, InnoDB pages.
    $warm = $ctx;
    $warm['work'] = array_slice($work, 0, max(1, intdiv($owners, 20)), true);
    $warm['n'] = count($warm['work']) * $keysPer;
    $warm['rawParams'] = raw_params($warm['work'], 1000);
    foreach (['tally', 'seed', 'raw'] as $who) measure($who, $warm);

    $runs = ['tally' => [], 'seed' => [], 'raw' => []];
    $order = ['tally', 'seed', 'raw'];
    for ($rep = 1; $rep <= $reps; $rep++) {
        foreach ($order as $who) $runs[$who][] = measure($who, $ctx);
        printf("  rep %d: tally %.3f/%.3f s, seed %.3f/%.3f s, raw %.3f/%.3f s (new/existing)\n", $rep,
            ...array_merge(...array_map(fn (string $w): array => [end($runs[$w])['new']['s'], end($runs[$w])['existing']['s']],
                ['tally', 'seed', 'raw'])));
        $order[] = array_shift($order);      // rotate, so no contender always goes first
    }
    echo "verified: after every run each table held {$n} rows summing to the issued total (x2 on existing rows), "
        . "and Redis was empty under the tally and seed prefixes\n"
        . "(existing rows: the same {$n} rows stored beforehand in owner id order, for every contender)\n\n";

    $pass = true;
    printf("%-9s %12s %12s %12s   %-20s %-20s\n", 'case', 'tally c/s', 'seed c/s', 'raw rows/s', 'tally/seed (>=1.5)', 'tally/raw (>=0.9)');
    // Ratios are paired: tally against each peer within one repetition (the same minute of
    // the machine), then the median over repetitions; the rates are medians of their own.
    $paired = function (string $peer, string $case) use ($runs, $reps): array {
        $r = [];
        for ($i = 0; $i < $reps; $i++) $r[] = $runs[$peer][$i][$case]['s'] / $runs['tally'][$i][$case]['s'];
        return $r;
    };
    $ranges = [];
    foreach (['new', 'existing'] as $case) {
        $rate = [];
        foreach ($runs as $who => $r) $rate[$who] = $n / med($r, $case);
        $vsSeed = median($paired('seed', $case));
        $vsRaw = median($paired('raw', $case));
        $ranges[] = sprintf('%s: tally/seed %.2f-%.2fx, tally/raw %.2f-%.2fx', $case,
            min($paired('seed', $case)), max($paired('seed', $case)), min($paired('raw', $case)), max($paired('raw', $case)));
        $pass = $pass && $vsSeed >= 1.5 && $vsRaw >= 0.9;
        printf("%-9s %12s %12s %12s   %-20s %-20s\n", $case,
            number_format($rate['tally']), number_format($rate['seed']), number_format($rate['raw']),
            sprintf('%5.2fx  %s', $vsSeed, $vsSeed >= 1.5 ? 'PASS' : 'MISS'),
            sprintf('%5.2fx  %s', $vsRaw, $vsRaw >= 0.9 ? 'PASS' : 'MISS'));
    }
    if ($reps > 1) echo 'ratios are medians of the per-repetition ratios; their ranges: ' . implode('; ', $ranges) . "\n";
    printf("targets: tally >= 1.5x seed and >= 0.9x raw on new and existing rows: %s\n", $pass ? 'PASS' : 'MISS');
    if ($quick) echo "(--quick: a smoke run; its ratios are not the benchmark's)\n";

    if ($extras) {
        echo "\nWhere the time goes (medians of $reps, seconds per sync of " . number_format($n) . " counters; CPU seconds of\n"
            . "this PHP process incl. the extension, of Redis and of MariaDB during the timed part; 'rest' = wall minus\n"
            . "the three: waiting on I/O (commit fsyncs), loopback and scheduling):\n";
        printf("  %-16s %7s %8s %8s %8s %8s\n", '', 'wall', 'client', 'redis', 'mariadb', 'rest');
        $line = function (string $label, array $r, string $case): void {
            $w = med($r, $case);
            $c = med($r, $case, 'cpu_client');
            $rc = med($r, $case, 'cpu_redis');
            $m = med($r, $case, 'cpu_mysql');
            printf("  %-16s %7.3f %8.3f %8.3f %8s %8s\n", $label, $w, $c, $rc,
                is_nan($m) ? '?' : sprintf('%.2f', $m), is_nan($m) ? '?' : sprintf('%.2f', $w - $c - $rc - $m));
        };
        foreach (['new', 'existing'] as $case) {
            foreach (['tally', 'seed', 'raw'] as $who) $line("$who $case", $runs[$who], $case);
        }
        foreach (['new', 'existing'] as $case) {
            $seedSql = med($runs['seed'], $case, 'sql');
            printf("  seed %-8s: its SQL phase (a transaction of 200-row upserts per 1000 keys, each statement prepared\n"
                . "                 when run, as Laravel does) %.3f s, the rest (SCAN, GET, reclaim, PHP) %.3f s\n",
                $case, $seedSql, med($runs['seed'], $case) - $seedSql);
        }

        // tally, batch by batch: the progress callback stamps the end of every batch.
        $prof = [];
        for ($rep = 1; $rep <= $extraReps; $rep++) $prof[] = measure('tally', $ctx, [], true);
        foreach (['new', 'existing'] as $case) {
            $rows = array_map(function (array $r) use ($case): array {
                $g = $r[$case]['gaps'];
                $m = median($g);
                return ['s' => $r[$case]['s'], 'batches' => count($g), 'gap' => $m,
                        'excess' => (array_sum($g) - $m * count($g)) / 1000,
                        'scripts' => $r[$case]['calls']['evalsha'] ?? 0, 'scans' => $r[$case]['calls']['scan'] ?? 0];
            }, $prof);
            $pick = fn (string $f): float => median(array_column($rows, $f));
            printf("  tally %-8s: %.3f s in %d batches: median batch %.1f ms (claim-free: write + release + lock refresh;\n"
                . "                 raw: %.1f ms per 1000-row transaction), %.3f s above the median batch (SCAN pages and\n"
                . "                 their claim round trips); %d script calls, %d SCANs\n",
                $case, $pick('s'), (int) $pick('batches'), $pick('gap'),
                med($runs['raw'], $case) * 1000 / count($ctx['rawParams']), $pick('excess'), (int) $pick('scripts'), (int) $pick('scans'));
        }
        foreach ([1000, 5000] as $bs) {
            $t = [];
            for ($rep = 1; $rep <= $extraReps; $rep++) $t[] = measure('tally', $ctx, ['batch_size' => $bs]);
            printf("  tally batch_size %-5d new %8s c/s (%.3f s)   existing %8s c/s (%.3f s)\n", $bs,
                number_format($n / med($t, 'new')), med($t, 'new'), number_format($n / med($t, 'existing')), med($t, 'existing'));
        }
        // Redis side alone: a dry run reads every owner (one script call per owner, not
        // pipelined: more round trips than a real run's claims) and writes nothing.
        $d = [];
        tally_fill($counter, $work);
        for ($rep = 1; $rep <= $extraReps; $rep++) {
            [$d[]] = tally_sync($counter, $tallyDb, ['dry_run' => true]);
        }
        printf("  tally dry_run (SCAN + one READ_ALL call per owner, not pipelined; no SQL): %.3f s\n", median($d));
        $counter->sync($tallyDb);            // drain what the dry runs left
        $pdo->exec("TRUNCATE TABLE `{$tables['tally']}`");
        if (redis_count($redis, TALLY_PREFIX)) fail('tally: keys left after the drain');
    }
    $now = tally_so();
    if ($so && (!$now || $now['ino'] !== $so['ino'] || $now['mtime'] !== $so['mtime'] || $now['size'] !== $so['size'])) {
        echo "WARNING: {$so['path']} was rebuilt during the run: the results may mix two builds\n";
    }
} finally {
    drop_tables($pdo, $tables);
}
