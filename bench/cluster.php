<?php
/**
 * Redis Cluster benchmark: tally on a 6-node Redis Cluster (3 masters, 3 replicas) against
 * phpredis's RedisCluster on the same key layout, and tally's sync from the cluster against
 * the same sync from one Redis, all in one run, as ratios (tally's rate over the peer's:
 * above 1 means tally is faster).
 *
 *   single    one increment per call, over 100 owners (every master): tally increment() of an
 *             owner counter and incrementKey() vs RedisCluster::hIncrBy() on the same hashes
 *             (<prefix>{type:id}, field = key) and RedisCluster::incrBy() on incrementKey's
 *             keys; tally increment() on the single Redis alongside, for the cluster's cost
 *   request   a "request" of 100 increments over 50 counters (25 owners x 2 keys, every
 *             master): tally buffered (100 increment() + flush(): one pipeline per master)
 *             vs RedisCluster one hIncrBy() per increment; tally incrementMany() per owner
 *             (25 calls) and tally unbuffered alongside
 *   sync      --owners x --keys counters (default 10,000 x 10) synced into MariaDB from the
 *             cluster vs from the single Redis, each into its own table of the one schema,
 *             new rows; filled through incrementMany (not timed), InnoDB settled before each
 *             timed sync, every run verified (rows and total in SQL, nothing left in Redis).
 *             Repetitions alternate which goes first; the ratio is the median of the ratios
 *             within each repetition. While sync() refuses a cluster, the case prints
 *             "cluster sync: not available yet (<message>)".
 *
 * single and request: each contender runs for --seconds per run; a case reports the median
 * of --runs runs, the contenders' order rotating between runs. Counts are verified.
 *
 * Run through bench/cluster (own services), or with scripts/services' variables set
 * (TALLY_TEST_CLUSTER_NODES, TALLY_TEST_REDIS_PORT, TALLY_TEST_MYSQL_*):
 *   php -d extension=modules/tally.so bench/cluster.php [--quick] [--runs=N] [--seconds=S]
 *       [--owners=N] [--keys=N] [--reps=N] [--only=single,request,sync]
 */
declare(strict_types=1);

require __DIR__ . '/lib.php';

const PREFIX = 'cbench:';
const OWNER = 'App\\Models\\User';
const OWNER_HASH = 'App%5CModels%5CUser';     // OWNER as tally encodes it in the hash tag
const KEY_NAMES = ['views', 'downloads', 'likes', 'shares', 'comments', 'visits', 'clicks', 'saves', 'follows', 'reports'];

$opt = getopt('', ['quick', 'runs:', 'seconds:', 'owners:', 'keys:', 'reps:', 'only:', 'help']);
if (isset($opt['help'])) {
    fwrite(STDOUT, "usage: php -d extension=modules/tally.so bench/cluster.php [--quick] [--runs=N] [--seconds=S] [--owners=N] [--keys=N] [--reps=N] [--only=single,request,sync]\n");
    exit(0);
}
$quick = isset($opt['quick']);
$runs = (int) ($opt['runs'] ?? ($quick ? 3 : 7));
$seconds = (float) ($opt['seconds'] ?? ($quick ? 0.04 : 0.4));
$owners = (int) ($opt['owners'] ?? ($quick ? 500 : 10000));
$keysPer = (int) ($opt['keys'] ?? 10);
$reps = (int) ($opt['reps'] ?? ($quick ? 1 : 7));
$only = isset($opt['only']) ? explode(',', (string) $opt['only']) : ['single', 'request', 'sync'];
if ($runs < 1 || $seconds <= 0 || $owners < 1 || $keysPer < 1 || $reps < 1) {
    fail('--runs, --seconds, --owners, --keys and --reps must be positive');
}
if (!extension_loaded('tally')) fail('the tally extension is not loaded: php -d extension=modules/tally.so ...');
if (!extension_loaded('redis')) fail('phpredis is not loaded (php8.2-redis)');

$nodes = explode(',', bench_env('TALLY_TEST_CLUSTER_NODES'));
$host = bench_env('TALLY_TEST_REDIS_HOST', '127.0.0.1');
$port = (int) bench_env('TALLY_TEST_REDIS_PORT');

function cluster_tally(array $extra = []): Tally\Counter
{
    global $nodes;
    return new Tally\Counter($extra + ['cluster' => $nodes, 'prefix' => PREFIX, 'read_timeout' => 60.0]);
}

function single_tally(array $extra = []): Tally\Counter
{
    global $host, $port;
    return new Tally\Counter($extra + ['host' => $host, 'port' => $port, 'prefix' => PREFIX, 'read_timeout' => 60.0]);
}

function phpredis_cluster(): RedisCluster
{
    global $nodes;
    return new RedisCluster(null, $nodes, 2.0, 60.0);
}

function phpredis_single(): Redis
{
    global $host, $port;
    $r = new Redis();
    $r->connect($host, $port, 2.0);
    $r->setOption(Redis::OPT_READ_TIMEOUT, 60);
    return $r;
}

/** The owner hash of OWNER #$id as tally names it: <prefix>{type:id}. */
function owner_hash(int $id, string $prefix = PREFIX): string
{
    return $prefix . '{' . OWNER_HASH . ":$id}";
}

/** Keys under $prefix (SCAN, never KEYS) on the single Redis, or on every master of the cluster. */
function keys_under(Redis|RedisCluster $r, string $prefix): array
{
    $pattern = addcslashes($prefix, '*?[]\\') . '*';
    $found = [];
    foreach ($r instanceof RedisCluster ? $r->_masters() : [null] as $node) {
        $it = null;
        do {
            $keys = $node === null ? $r->scan($it, $pattern, 1000) : $r->scan($it, $node, $pattern, 1000);
            if ($keys) array_push($found, ...$keys);
        } while ($it > 0);
    }
    return $found;
}

function delete_under(Redis|RedisCluster $r, string $prefix): void
{
    foreach (keys_under($r, $prefix) as $k) $r->del($k);
}

$rc = phpredis_cluster();
$rs = phpredis_single();
foreach ([$rc, $rs] as $r) {
    if (keys_under($r, PREFIX)) fail("Redis already holds keys under '" . PREFIX . "': use private services (bench/cluster)");
}
$masters = count($rc->_masters());
printf("Tally cluster benchmark: Redis %s, a cluster of %d masters (%d nodes given) and one Redis on loopback, PHP %s, phpredis %s\n",
    $rs->info('server')['redis_version'] ?? '?', $masters, count($nodes), PHP_VERSION, phpversion('redis'));

$report = new BenchTable();
$targets = [];

// ---- single increments ---------------------------------------------------------------------

if (in_array('single', $only, true)) {
    $t = cluster_tally();
    $ts = single_tally(['prefix' => PREFIX . 'single:']);
    $batch = 50;
    $ids = range(1, 100);                       // 100 owners: every master, every batch
    $hashes = array_map('owner_hash', $ids);
    $names = array_map(fn (int $i): string => "page:$i", $ids);
    $issued = ['hash' => 0, 'key' => 0];
    $c = [
        'tally' => ['tally increment()', function () use ($t, $batch, $ids, &$issued) {
            for ($i = 0; $i < $batch; $i++) $t->increment(OWNER, $ids[$i % 100], 'views');
            $issued['hash'] += $batch;
            return $batch;
        }],
        'key' => ['tally incrementKey()', function () use ($t, $batch, $names, &$issued) {
            for ($i = 0; $i < $batch; $i++) $t->incrementKey($names[$i % 100]);
            $issued['key'] += $batch;
            return $batch;
        }],
        'hincrby' => ['RedisCluster hIncrBy() (same hash and field)', function () use ($rc, $batch, $hashes, &$issued) {
            for ($i = 0; $i < $batch; $i++) $rc->hIncrBy($hashes[$i % 100], 'views', 1);
            $issued['hash'] += $batch;
            return $batch;
        }],
        'incrby' => ['RedisCluster incrBy() (incrementKey\'s keys)', function () use ($rc, $batch, $names, &$issued) {
            for ($i = 0; $i < $batch; $i++) $rc->incrBy(PREFIX . $names[$i % 100], 1);
            $issued['key'] += $batch;
            return $batch;
        }],
        'single' => ['tally increment() on one Redis', function () use ($ts, $batch, $ids) {
            for ($i = 0; $i < $batch; $i++) $ts->increment(OWNER, $ids[$i % 100], 'views');
            return $batch;
        }],
    ];
    $opsps = run_case($c, $runs, $seconds);
    $report->add('single increment', $c, $opsps, 'tally');
    // incrementKey's ratios are not in the table (its ratio column is increment()'s).
    $targets[] = ['cluster increment() >= 1.0x RedisCluster hIncrBy', $opsps['tally'] / $opsps['hincrby'], 1.0];
    $targets[] = ['cluster incrementKey() >= 1.0x RedisCluster hIncrBy', $opsps['key'] / $opsps['hincrby'], 1.0];
    $targets[] = ['cluster incrementKey() >= 1.0x RedisCluster incrBy', $opsps['key'] / $opsps['incrby'], 1.0];
    // Every increment landed exactly once, on both layouts.
    $sum = 0;
    foreach ($ids as $id) $sum += $t->pending(OWNER, $id, 'views');
    if ($sum !== $issued['hash']) fail("single case: $sum owner increments stored, {$issued['hash']} issued");
    $sum = array_sum($t->getKeys($names));
    if ($sum !== $issued['key']) fail("single case: $sum key increments stored, {$issued['key']} issued");
    delete_under($rc, PREFIX);
    delete_under($rs, PREFIX);
}

// ---- a request: 100 increments over 50 counters of 25 owners ----------------------------------

if (in_array('request', $only, true)) {
    $buffered = cluster_tally(['buffer' => true]);
    $plain = cluster_tally();
    $work = [];
    for ($i = 0; $i < 100; $i++) $work[] = [1000 + $i % 25, 'key' . intdiv($i, 25) % 2];
    $byOwner = [];
    foreach ($work as [$id, $key]) $byOwner[$id][$key] = ($byOwner[$id][$key] ?? 0) + 1;
    $hashes = array_map(fn (array $w): array => [owner_hash($w[0]), $w[1]], $work);
    $requests = 0;
    $c = [
        'buffered' => ['tally buffered: 100 increment() + flush()', function () use ($buffered, $work, &$requests) {
            foreach ($work as [$id, $key]) $buffered->increment(OWNER, $id, $key);
            if (($n = $buffered->flush()) !== 50) fail("a buffered request sent $n counters, not 50");
            $requests++;
            return 1;
        }],
        'one' => ['RedisCluster 100x hIncrBy()', function () use ($rc, $hashes, &$requests) {
            foreach ($hashes as [$h, $k]) $rc->hIncrBy($h, $k, 1);
            $requests++;
            return 1;
        }],
        'many' => ['tally incrementMany() per owner (25 calls)', function () use ($plain, $byOwner, &$requests) {
            foreach ($byOwner as $id => $amounts) $plain->incrementMany(OWNER, $id, $amounts);
            $requests++;
            return 1;
        }],
        'plain' => ['tally unbuffered: 100 increment()', function () use ($plain, $work, &$requests) {
            foreach ($work as [$id, $key]) $plain->increment(OWNER, $id, $key);
            $requests++;
            return 1;
        }],
    ];
    $opsps = run_case($c, $runs, $seconds);
    $report->add('request: 100 incr, 25 owners', $c, $opsps, 'buffered');
    $targets[] = ['cluster buffered request >= 20x RedisCluster 1 by 1', $opsps['buffered'] / $opsps['one'], 20.0];
    // Every increment landed exactly once: all four wrote the same counters, 100 per request.
    $sum = 0;
    foreach ($byOwner as $id => $amounts) $sum += array_sum($plain->pendingAll(OWNER, $id));
    if ($sum !== 100 * $requests) fail("request case: $sum increments stored, " . 100 * $requests . ' issued');
    delete_under($rc, PREFIX);
}

// ---- sync: the cluster vs one Redis, into MariaDB ---------------------------------------------

/** Fills $c with $work through incrementMany (one call per owner). */
function fill(Tally\Counter $c, array $work): void
{
    foreach ($work as $id => $amounts) $c->incrementMany(OWNER, $id, $amounts);
}

/**
 * Checks $table holds exactly the rows of $work with their amounts (COUNT and SUM, then the
 * first rows that are off) and that Redis has nothing left under the prefix.
 */
function verify(PDO $pdo, Redis|RedisCluster $r, string $table, array $work, string $what): void
{
    $rows = array_sum(array_map('count', $work));
    $sum = array_sum(array_map('array_sum', $work));
    [$c, $s] = $pdo->query("SELECT COUNT(*), COALESCE(SUM(`count`), 0) FROM `$table`")->fetch(PDO::FETCH_NUM);
    if ((int) $c !== $rows || (int) $s !== $sum) {
        $off = [];
        foreach ($pdo->query("SELECT `owner_id`, `key`, `count` FROM `$table`") as [$id, $k, $v]) {
            $want = $work[(int) $id][$k] ?? 0;
            if ((int) $v !== $want && count($off) < 12) $off[] = "#$id $k = $v (expected $want)";
        }
        fail("$what: $table holds $c rows summing to $s, expected $rows rows summing to $sum"
            . ($off ? '; rows off: ' . implode(', ', $off) : ''));
    }
    if ($left = count(keys_under($r, PREFIX))) fail("$what: $left Redis keys left under '" . PREFIX . "'");
}

/** One timed sync of $work from $who's Redis into its table, verified: seconds. */
function timed_sync(string $who, array $ctx, array $work): float
{
    [$counter, $db, $table, $redis] = $ctx['sides'][$who];
    $pdo = $ctx['pdo'];
    $pdo->exec("TRUNCATE TABLE `$table`");
    fill($counter, $work);
    settle($pdo);
    $t = bench_now();
    $r = $counter->sync($db, ['batch_size' => 1000]);
    $t = bench_now() - $t;
    $n = array_sum(array_map('count', $work));
    if ($r['errors'] || $r['locked'] || $r['incomplete'] || $r['synced'] !== $n) {
        fail("$who sync: synced {$r['synced']} of $n: " . json_encode($r));
    }
    verify($pdo, $redis, $table, $work, "$who sync");
    return $t;
}

if (in_array('sync', $only, true)) {
    if (!extension_loaded('pdo_mysql')) fail('pdo_mysql is not loaded (php8.2-mysql)');
    $cfg = mysql_config();
    $pdo = connect_pdo($cfg);
    $tables = ['cluster' => 'bench_cluster_cluster', 'single' => 'bench_cluster_single'];
    create_tables($pdo, $tables);
    // The workload: owner id => [key => amount], as bench/sync's.
    $work = sync_workload($owners, $keysPer, KEY_NAMES);
    $n = $owners * $keysPer;
    $ctx = ['pdo' => $pdo, 'sides' => [
        'cluster' => [cluster_tally(), tally_database($cfg, $tables['cluster']), $tables['cluster'], $rc],
        'single' => [single_tally(), tally_database($cfg, $tables['single']), $tables['single'], $rs],
    ]];
    $case = sprintf('sync %s counters', number_format($n));     // over --owners owners: in the header
    try {
        // Whether the cluster syncs at all: one owner, then the warm-up (connections, prepared
        // statements, the Lua script cache, InnoDB pages), not reported.
        $unavailable = null;
        try {
            timed_sync('cluster', $ctx, [1 => $work[1]]);
        } catch (Tally\Exception $e) {
            if (!str_contains($e->getMessage(), 'not supported on Redis Cluster')) throw $e;
            $unavailable = $e->getMessage();
            $ctx['sides']['cluster'][0]->forget(OWNER, 1);
            if (keys_under($rc, PREFIX)) fail('cluster: keys left after the refused sync');
        }
        if ($unavailable !== null) {
            echo "cluster sync: not available yet ($unavailable)\n";
            $targets[] = ['cluster sync >= 0.9x the single Redis', 'not available yet'];
        } else {
            $warm = array_slice($work, 0, max(1, intdiv($owners, 20)), true);
            foreach (['cluster', 'single'] as $who) timed_sync($who, $ctx, $warm);
            $s = ['cluster' => [], 'single' => []];
            for ($rep = 0; $rep < $reps; $rep++) {
                foreach ($rep % 2 ? ['single', 'cluster'] : ['cluster', 'single'] as $who) $s[$who][] = timed_sync($who, $ctx, $work);
                printf("  sync rep %d: cluster %.3f s, single %.3f s\n", $rep + 1, end($s['cluster']), end($s['single']));
            }
            $paired = array_map(fn (float $c, float $o): float => $o / $c, $s['cluster'], $s['single']);
            $ratio = median($paired);
            $report->row($case, 'tally sync() from the cluster', $n / median($s['cluster']), null);
            $report->row('', 'tally sync() from one Redis', $n / median($s['single']), $ratio);
            $targets[] = ['cluster sync >= 0.9x the single Redis', $ratio, 0.9];
            if ($reps > 1) printf("cluster sync / single: per repetition %.2f-%.2fx (the table's ratio is their median)\n", min($paired), max($paired));
        }
    } finally {
        drop_tables($pdo, $tables);
    }
}

// ---- report ------------------------------------------------------------------------------------

$report->print('ops/s');
printf("\n%s mode: increments median of %d runs, %.2f s per contender per run; sync %s counters, %d repetition%s;\n"
    . "ratio = tally's rate / the peer's (sync: counters/s from the cluster / from one Redis, paired per repetition)\n",
    $quick ? 'quick' : 'full', $runs, $seconds, number_format($owners * $keysPer), $reps, $reps > 1 ? 's' : '');
print_targets($targets);
if ($quick) echo "(--quick: a smoke run; its ratios are not the benchmark's)\n";
