<?php
// Failover and resharding under a running sync on a Redis Cluster of the script's own (6 nodes):
// writer processes increment owner counters over every master, each write asking for a
// replica's acknowledgement (wait_replicas), while one sync process per database (an SQLite
// file and MariaDB, each with a Redis prefix of its own) syncs in a loop, slowed by a failpoint
// so that the events land inside a run. Events: a master is SIGKILLed during a sync (its
// replica paused just before, so that what the master acknowledged last never reaches it),
// the replica is promoted, the old master comes back as its replica; then 200 slots move from
// one master to another during a sync. After the writers stop and a final clean sync, for
// every counter: confirmed <= SQL <= confirmed + unconfirmed + unknown (none lost, none
// doubled), and no counter key is left on any master.
//
//   php -n -d extension=modules/tally.so tests/fault/cluster-failover.php [--db=both|sqlite|mysql]
//       [--writers=N] [--seconds=S] [--no-wait-before-commit]
// Needs redis-server/redis-cli and, for MariaDB, TALLY_TEST_MYSQL_* (scripts/services).
// --no-wait-before-commit: the sync processes skip the WAIT for replicas before they commit
// (failpoint sync-no-wait): the double counting that WAIT prevents is shown and reported,
// not failed on.
// Prints the figures and a closing "N passed, N failed" line (one check per claim above).
declare(strict_types=1);

require __DIR__ . '/lib.inc';
require __DIR__ . '/../cluster/cluster.inc';

$opt = getopt('', ['db::', 'writers::', 'seconds::', 'no-wait-before-commit']);
$noWait = isset($opt['no-wait-before-commit']);
$dbs = ($opt['db'] ?? 'both') === 'both' ? ['sqlite', 'mysql'] : [$opt['db']];
$writers = (int) ($opt['writers'] ?? 3);
$maxSeconds = (float) ($opt['seconds'] ?? 150);
$repo = dirname(__DIR__, 2);
$so = getenv('TALLY_SO') ?: $repo . '/modules/tally.so';
$me = 'cluster-failover';
$t0 = microtime(true);
if (array_diff($dbs, ['sqlite', 'mysql']) || (in_array('mysql', $dbs, true) && !getenv('TALLY_TEST_MYSQL_PORT'))) {
    fwrite(STDERR, "$me: --db=both|sqlite|mysql; MariaDB needs TALLY_TEST_MYSQL_* (scripts/services)\n");
    exit(2);
}

$tag = getmypid() . bin2hex(random_bytes(2));     // rows of earlier runs in the MariaDB table never meet ours
$tmp = sys_get_temp_dir() . "/tally-failover-$tag";
mkdir($tmp);
$table = 'failover_counters';
$targets = [];
foreach ($dbs as $d) {
    $targets[$d] = [
        'prefix' => "fo:$tag:$d:",
        'db' => $d === 'sqlite' ? ['driver' => 'sqlite', 'path' => "$tmp/counters.sqlite", 'table' => $table]
            : fault_mysql_options($table),
    ];
}
$types = ["App\\Models\\User#$tag", "Team:{blue}#$tag"];
$keys = ['views', 'a:b', 'ключ'];
$ownersPerType = 150;                 // 300 owners per prefix: every master serves many

/**
 * The writers' options: the one place that asks for a replica's acknowledgement of every
 * write. A write that returned is confirmed; ReplicationException: it reached the master,
 * no replica confirmed it in time.
 */
function writer_options(array $nodes, string $prefix, bool $wait): array
{
    $o = ['cluster' => $nodes, 'prefix' => $prefix, 'connect_timeout' => 0.5, 'read_timeout' => 2.0];
    return $wait ? $o + ['wait_replicas' => 1, 'wait_timeout' => 0.5] : $o;
}

$cl = null;
$parent = getmypid();
$paused = 0;
register_shutdown_function(function () use (&$cl, &$paused, $parent, $tmp) {
    if (getmypid() !== $parent) return;       // a forked writer's exit
    if ($paused) fault_signal($paused, 'CONT');
    if ($cl) tc_cluster_stop($cl);
    exec('rm -rf ' . escapeshellarg($tmp));
});
$cl = tc_cluster_start();

// Whether this build has wait_replicas yet: without it "confirmed" writes can be lost in a
// failover and the verdict says so (check "writers wait for a replica").
$haveWait = true;
try {
    new Tally\Counter(writer_options($cl['nodes'], 'x:', true));
} catch (Tally\InvalidArgumentException $e) {
    if (!str_contains($e->getMessage(), 'wait_replicas')) throw $e;
    $haveWait = false;
    fwrite(STDERR, "$me: this build has no 'wait_replicas' option: writers run without it\n");
}
foreach ($targets as $d => $t) {
    (new Tally\Database($t['db']))->createTables();
}

// --- writers -------------------------------------------------------------------------------
// Until SIGTERM: random owners, keys and amounts over both prefixes; every write recorded by
// its outcome, in amounts: [confirmed, unconfirmed, unknown, refused].
const OUTCOMES = ['confirmed', 'unconfirmed', 'unknown', 'refused'];

/** What a failed write may have done: ReplicationException ran it unconfirmed, another ConnectionException may or may not have, any other error did not. */
function outcome(Throwable $e): int
{
    if ($e instanceof Tally\ReplicationException) return 1;
    if ($e instanceof Tally\ConnectionException) return 2;
    if ($e instanceof Tally\Exception) return 3;
    throw $e;
}

$writerPids = [];
for ($w = 0; $w < $writers; $w++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        $stop = false;
        pcntl_async_signals(true);
        pcntl_signal(SIGTERM, function () use (&$stop) { $stop = true; });
        $counters = [];
        foreach ($targets as $d => $t) {
            $counters[$d] = new Tally\Counter(writer_options($cl['nodes'], $t['prefix'], $haveWait));
        }
        $names = array_keys($targets);
        $rng = new Random\Randomizer(new Random\Engine\Mt19937(4000 + $w));
        $rec = [];
        $writes = array_fill_keys(OUTCOMES, 0);
        $messages = [];
        $failedAt = [];
        while (!$stop) {
            $d = $names[$rng->getInt(0, count($names) - 1)];
            $type = $types[$rng->getInt(0, count($types) - 1)];
            $id = (string) $rng->getInt(1, $ownersPerType);
            $amounts = [$keys[$rng->getInt(0, count($keys) - 1)] => $rng->getInt(1, 3)];
            if ($rng->getInt(0, 6) === 0) {
                $amounts[$keys[0]] = ($amounts[$keys[0]] ?? 0) + 1;
            }
            try {
                count($amounts) === 1
                    ? $counters[$d]->increment($type, $id, array_key_first($amounts), reset($amounts))
                    : $counters[$d]->incrementMany($type, $id, $amounts);
                $o = 0;
            } catch (Throwable $e) {
                $o = outcome($e);
                $failedAt[] = microtime(true);
                $messages[OUTCOMES[$o]][get_class($e) . ': ' . preg_replace('/\d+/', 'N', $e->getMessage())] = true;
            }
            foreach ($amounts as $key => $v) {
                $rec[$d]["$type\0$id"][$key] ??= [0, 0, 0, 0];
                $rec[$d]["$type\0$id"][$key][$o] += $v;
            }
            $writes[OUTCOMES[$o]]++;
            usleep(1000);              // a steady stream on 2 shared cores, not a flood
        }
        file_put_contents("$tmp/writer-$w.json", json_encode(['rec' => $rec, 'writes' => $writes,
            'messages' => array_map('array_keys', $messages), 'failed_at' => $failedAt]));
        exit(0);
    }
    $writerPids[$pid] = true;
}

// --- one sync loop per database -------------------------------------------------------------
// Logs every run (start, each committed batch, end with its report or exception) as JSON
// lines, so that the events can be placed inside a run afterwards; stops at the stop file.
$syncCode = <<<'PHP'
$c = new Tally\Counter(json_decode(getenv('FO_REDIS'), true));
$log = fopen(getenv('FO_LOG'), 'a');
$put = function (array $line) use ($log) { fwrite($log, json_encode($line + ['t' => microtime(true)]) . "\n"); };
$db = null;
while (!file_exists(getenv('FO_STOP'))) {
    $put(['ev' => 'start']);
    try {
        $db ??= new Tally\Database(json_decode(getenv('FO_DB'), true));
        $r = $c->sync($db, ['batch_size' => 100, 'lock_ttl' => 5,
            'on_batch' => function (array $rows) use ($put) { $put(['ev' => 'batch', 'rows' => count($rows)]); }]);
        $put(['ev' => 'end', 'synced' => $r['synced'], 'recovered' => $r['recovered'], 'locked' => $r['locked'],
            'errors' => $r['errors']]);
        if ($r['locked'] || $r['errors']) usleep(100000);
    } catch (Tally\Exception $e) {
        $put(['ev' => 'end', 'exception' => get_class($e) . ': ' . $e->getMessage()]);
        if ($e instanceof Tally\DatabaseException) $db = null;
        usleep(100000);
    }
}
PHP;
$failpoints = 'before-write=sleep:300' . ($noWait ? ',sync-no-wait=error' : '');
$syncProcs = [];
foreach ($targets as $d => $t) {
    $syncProcs[$d] = fault_spawn($so, $syncCode, [
        'FO_REDIS' => json_encode(['cluster' => $cl['nodes'], 'prefix' => $t['prefix'], 'connect_timeout' => 0.5, 'read_timeout' => 2.0]),
        'FO_DB' => json_encode($t['db']), 'FO_LOG' => "$tmp/sync-$d.log", 'FO_STOP' => "$tmp/stop",
        'TALLY_FAILPOINTS' => $failpoints,
    ], "$tmp/sync-$d.out", "$tmp/sync-$d.err");
}

/** The runs in a sync log: ['t0', 't1' (null: still running), 'batches' => [times], 'end' => last line]. */
function sync_runs(string $file): array
{
    $runs = [];
    foreach (file($file, FILE_IGNORE_NEW_LINES) ?: [] as $line) {
        $l = json_decode($line, true);
        if (!is_array($l)) continue;          // a line being written
        if ($l['ev'] === 'start') {
            $runs[] = ['t0' => $l['t'], 't1' => null, 'batches' => [], 'end' => null];
        } elseif ($runs && $l['ev'] === 'batch') {
            $runs[count($runs) - 1]['batches'][] = $l['t'];
        } elseif ($runs) {
            $runs[count($runs) - 1]['t1'] = $l['t'];
            $runs[count($runs) - 1]['end'] = $l;
        }
    }
    return $runs;
}

/**
 * Whether every sync loop was syncing over all of [$from, $to]: a run that had committed a
 * batch was under way when it began, and runs followed one another until it ended (a loop
 * starts its next run at once; a gap of a failed run's pause is allowed). One run need not
 * last the whole reshard: a run ends when it has drained what the writers left, however long
 * the reshard takes.
 */
function syncs_running(array $targets, string $tmp, float $from, float $to): bool
{
    foreach ($targets as $d => $_) {
        $runs = sync_runs("$tmp/sync-$d.log");
        $at = null;
        foreach ($runs as $i => $r) {
            if ($r['t0'] <= $from && ($r['t1'] ?? INF) >= $from && $r['batches'] && min($r['batches']) <= $from) $at = $i;
        }
        if ($at === null) return false;
        for ($i = $at, $end = $runs[$at]['t1'] ?? INF; $end < $to; $end = $runs[$i]['t1'] ?? INF) {
            if (!isset($runs[++$i]) || $runs[$i]['t0'] - $end > 0.25) return false;
        }
    }
    return true;
}

/** Waits (up to $max s) until every sync loop is inside a run that has committed a batch. */
function wait_for_syncs(array $targets, string $tmp, float $max): void
{
    for ($end = microtime(true) + $max; microtime(true) < $end; usleep(50000)) {
        $ready = true;
        foreach ($targets as $d => $_) {
            $runs = sync_runs("$tmp/sync-$d.log");
            $last = end($runs);
            $ready = $ready && $last && $last['t1'] === null && $last['batches'];
        }
        if ($ready) return;
    }
}

/** Number of slots each master serves, [port => n], as the node on $ask sees it. */
function slot_counts(int $ask): array
{
    $n = [];
    foreach (tc_raw($ask, ['CLUSTER', 'SLOTS']) as $range) {
        $n[$range[2][1]] = ($n[$range[2][1]] ?? 0) + $range[1] - $range[0] + 1;
    }
    ksort($n);
    return $n;
}

/** Polls $fn every 0.1 s until it returns true or $max s pass (node errors count as not yet); returns the seconds taken or null. */
function wait_until(callable $fn, float $max): ?float
{
    $start = microtime(true);
    do {
        try {
            if ($fn()) return microtime(true) - $start;
        } catch (RuntimeException $e) {
        }
        usleep(100000);
    } while (microtime(true) - $start < $max);
    return null;
}

/** Bytes the master on $port holds for its replicas that the kernel would not take (CLIENT LIST omem): its replication is stalled. */
function replica_backlog(int $port): int
{
    preg_match_all('/ omem=(\d+)/', (string) tc_raw($port, ['CLIENT', 'LIST', 'TYPE', 'replica']), $m);
    return max([0, ...array_map('intval', $m[1])]);
}

/** $n key names whose slots are the last ones $port serves (away from the slots a reshard takes first). */
function keys_on(array $cl, int $port, int $n): array
{
    $last = 0;
    foreach (tc_raw($port, ['CLUSTER', 'SLOTS']) as $range) {
        if ($range[2][1] === $port) $last = max($last, $range[1]);
    }
    $out = [];
    for ($i = 0; count($out) < $n; $i++) {
        $slot = tc_slot("{fo-junk-$i}", $cl);
        if ($slot <= $last && $slot > $last - 500) $out[] = "{fo-junk-$i}";
    }
    return $out;
}

$ev = ['kill_at' => null, 'promoted_after' => null, 'rejoined_after' => null, 'reshard' => null, 'stalled' => 0,
    'claim' => 'none', 'pause' => 0.0];
$budget = fn (float $want) => max(1.0, min($want, $maxSeconds - (microtime(true) - $t0) - 30));

// --- event (a): a master dies during a sync ------------------------------------------------
usleep(2000000);
wait_for_syncs($targets, $tmp, $budget(15));
$masters = tc_masters($cl);                    // [port => id]
$victim = array_key_first($masters);
$slot = null;
foreach (tc_raw($victim, ['CLUSTER', 'SLOTS']) as $range) {
    if ($range[2][1] === $victim) $slot = $range[0];
}
$replica = tc_replica($victim, $cl);
$live = array_keys($masters)[1];
$junk = keys_on($cl, $victim, 16);
// The replica is paused, and the master's replication stream is stuffed with junk values
// (SET of 4 MB each, not under our prefixes) until the kernel's socket buffers are full and
// the master queues the rest itself (omem): from then on what the master acknowledges
// (writes, the sync's claims) dies with it and never reaches the replica. (A pause alone is
// not enough: the kernel keeps receiving for a stopped process, and the replica would read
// it all on waking.) Then we wait for a sync to claim an owner of that master and for that
// claim to be released (its batch committed; before-write sleeps 300 ms first), and kill the
// master: without the WAIT before commit the claim is committed while the replica still has
// the owner's counts as pending. With the WAIT, the batch cannot commit and the claim stays
// until the kill. Then the replica wakes up and takes over.
$paused = tc_pid($cl, $replica);
$pauseAt = microtime(true);
fault_signal($paused, 'STOP');
$blob = str_repeat('j', 4 << 20);
foreach ($junk as $k) {
    tc_raw($victim, ['SET', $k, $blob]);
    if (($ev['stalled'] = replica_backlog($victim)) > (1 << 20)) break;
}
unset($blob);
// At least 0.9 s, so that writes to that master outlive their wait_timeout (ReplicationException).
$claims = null;
while (microtime(true) - $pauseAt < 1.6) {
    $now = [];
    foreach ($targets as $t) {
        $now = array_merge($now, array_filter(tc_keys($victim, $t['prefix']), fn ($k) => str_ends_with($k, '}:c')));
    }
    $claims ??= $now ?: null;
    $ev['claim'] = $claims === null ? 'none' : (array_diff($claims, $now) ? 'committed' : 'held');
    // Without the WAIT: once a claim's batch committed. With it, that batch cannot commit,
    // and its run fails once its WAIT times out (1 s): kill while it still waits, mid-sync.
    if (($ev['claim'] === 'committed' || (!$noWait && $ev['claim'] === 'held')) && microtime(true) - $pauseAt >= 0.9) break;
    usleep(20000);
}
$ev['stalled'] = replica_backlog($victim);
$ev['kill_at'] = microtime(true);
fault_signal(tc_pid($cl, $victim), 'KILL');
fault_signal($paused, 'CONT');
$ev['pause'] = microtime(true) - $pauseAt;
$paused = 0;
$ev['promoted_after'] = wait_until(fn () => tc_owner($slot, $cl, $live) === $replica, 20);
if ($ev['promoted_after'] !== null) {
    // Back on its port with its nodes.conf: it rejoins as the replica of its old replica.
    exec('bash ' . escapeshellarg("$repo/scripts/services") . ' start-cluster-node ' . escapeshellarg($cl['dir']) . " $victim 2>&1", $out, $rc);
    if ($rc !== 0) fwrite(STDERR, "$me: restarting node $victim failed: " . implode("\n", $out) . "\n");
    $back = wait_until(function () use ($victim, $replica) {
        $info = tc_raw($victim, ['INFO', 'replication']);
        return str_contains($info, 'role:slave') && str_contains($info, "master_port:$replica")
            && str_contains($info, 'master_link_status:up');
    }, 20);
    $ev['rejoined_after'] = $back === null ? null : microtime(true) - $ev['kill_at'];
    tc_raw($replica, ['DEL', ...$junk]);     // what reached it before the stall
}

// --- event (b): 200 slots move during a sync ------------------------------------------------
usleep(1500000);
$masters = tc_masters($cl);
$from = $replica;                            // the promoted master gives away part of what it took over
$to = array_values(array_diff(array_keys($masters), [$from]))[0];
$agreed = wait_until(function () use ($from) {
    exec('redis-cli --cluster check 127.0.0.1:' . $from . ' 2>&1', $o);
    $o = implode("\n", $o);
    return str_contains($o, '[OK] All nodes agree') && !str_contains($o, '[ERR]') && !str_contains($o, '[WARNING]');
}, $budget(15));
wait_for_syncs($targets, $tmp, $budget(15));
$before = slot_counts($to);
$rs = microtime(true);
exec('redis-cli --cluster reshard 127.0.0.1:' . $from . ' --cluster-from ' . $masters[$from] . ' --cluster-to ' . $masters[$to]
    . ' --cluster-slots 200 --cluster-yes --cluster-pipeline 5 2>&1', $rout, $rrc);
$re = microtime(true);
$after = slot_counts($to);
$ev['reshard'] = ['from' => $from, 'to' => $to, 'rc' => $rrc, 'seconds' => $re - $rs, 't0' => $rs, 't1' => $re,
    'moved' => $after[$to] - $before[$to], 'agreed' => $agreed !== null];
if ($rrc !== 0) fwrite(STDERR, "$me: reshard failed (exit $rrc): " . implode("\n", array_slice($rout, -5)) . "\n");

// --- the writers stop; the sync loops finish their run --------------------------------------
usleep(2000000);
foreach ($writerPids as $pid => $_) {
    fault_signal($pid);
}
foreach ($writerPids as $pid => $_) {
    pcntl_waitpid($pid, $status);
}
touch("$tmp/stop");
$syncExits = [];
foreach ($syncProcs as $d => $p) {
    $syncExits[$d] = fault_reap($p)['exitcode'];
    if ($syncExits[$d] !== 0) fwrite(STDERR, "$me: the $d sync loop exited {$syncExits[$d]}: " . file_get_contents("$tmp/sync-$d.err") . "\n");
}
$runSeconds = microtime(true) - $t0;

// What the writers did.
$rec = [];
$writes = array_fill_keys(OUTCOMES, 0);
$messages = [];
$writersDied = 0;
$settledAt = $ev['reshard']['t1'] + 0.5;
$failedSettled = 0;
for ($w = 0; $w < $writers; $w++) {
    if (!is_file("$tmp/writer-$w.json")) {
        $writersDied++;
        continue;
    }
    $r = json_decode((string) file_get_contents("$tmp/writer-$w.json"), true);
    foreach ($r['rec'] as $d => $owners) {
        foreach ($owners as $owner => $ks) {
            foreach ($ks as $key => $v) {
                $rec[$d][$owner][$key] ??= [0, 0, 0, 0];
                for ($i = 0; $i < 4; $i++) $rec[$d][$owner][$key][$i] += $v[$i];
            }
        }
    }
    foreach ($r['writes'] as $o => $n) $writes[$o] += $n;
    $failedSettled += count(array_filter($r['failed_at'], fn ($t) => $t > $settledAt));
    foreach ($r['messages'] as $o => $ms) foreach ($ms as $m) $messages[$o][$m] = true;
}

// --- final clean syncs and the checks, per database ------------------------------------------
$checks = [
    'every writer finished' => $writersDied === 0,
    'writers wait for a replica (wait_replicas)' => $haveWait,
    'the replica was cut off from the master (replication stalled) when it was killed' => $ev['stalled'] > 0,
    'a sync was running when the master was killed' => syncs_running($targets, $tmp, $ev['kill_at'], $ev['kill_at']),
    'the replica was promoted' => $ev['promoted_after'] !== null,
    'the old master rejoined as a replica' => $ev['rejoined_after'] !== null,
    '200 slots resharded' => $ev['reshard']['rc'] === 0 && $ev['reshard']['moved'] === 200,
    'syncs were running during the whole reshard' => syncs_running($targets, $tmp, $ev['reshard']['t0'], $ev['reshard']['t1']),
    'no write failed once the cluster had settled (0.5 s after the reshard)' => $failedSettled === 0,
];
$lines = [];
foreach ($targets as $d => $t) {
    $runs = sync_runs("$tmp/sync-$d.log");
    $st = ['runs' => count($runs), 'batches' => 0, 'synced' => 0, 'recovered' => 0, 'failed_runs' => 0, 'errors' => []];
    foreach ($runs as $r) {
        $st['batches'] += count($r['batches']);
        $e = $r['end'] ?? [];
        $st['synced'] += $e['synced'] ?? 0;
        $st['recovered'] += $e['recovered'] ?? 0;
        $errs = isset($e['exception']) ? [$e['exception']] : ($e['errors'] ?? []);
        $st['failed_runs'] += $errs ? 1 : 0;
        foreach ($errs as $m) {
            $m = preg_replace('/\d+/', 'N', $m);
            $st['errors'][$m] = ($st['errors'][$m] ?? 0) + 1;
        }
    }

    $c = new Tally\Counter(['cluster' => $cl['nodes'], 'prefix' => $t['prefix'], 'connect_timeout' => 1, 'read_timeout' => 5]);
    $db = new Tally\Database($t['db']);
    $final = null;
    $finalErrors = [];
    for ($i = 0; $i < 30 && microtime(true) - $t0 < $maxSeconds; $i++) {
        try {
            $r = $c->sync($db, ['batch_size' => 1000]);
        } catch (Tally\Exception $e) {
            $finalErrors[] = $e->getMessage();
            usleep(300000);
            continue;
        }
        $st['recovered'] += $r['recovered'];
        if ($r['locked'] || $r['errors']) {
            array_push($finalErrors, ...($r['locked'] ? ['lock held'] : $r['errors']));
            usleep(300000);            // a killed run's lock expires by itself
            continue;
        }
        if ($r['synced'] === 0 && $r['recovered'] === 0) {
            $final = $r;
            break;
        }
    }
    if ($final === null) fwrite(STDERR, "$me: $d: no clean final sync: " . implode('; ', array_slice(array_unique($finalErrors), 0, 3)) . "\n");

    // Every owner any writer could touch: a row nobody wrote counts as doubled.
    $lost = $doubled = $counters = $sql = $confirmed = $slack = 0;
    $readErrors = 0;
    foreach ($types as $type) {
        for ($id = 1; $id <= $ownersPerType; $id++) {
            $want = $rec[$d]["$type\0$id"] ?? [];
            try {
                $got = $c->getAll($db, $type, (string) $id);
            } catch (Tally\Exception $e) {
                $readErrors++;
                continue;
            }
            foreach ($want + array_fill_keys(array_keys($got), [0, 0, 0, 0]) as $key => $v) {
                $g = $got[$key] ?? 0;
                $counters++;
                $sql += $g;
                $confirmed += $v[0];
                $slack += $v[1] + $v[2];
                $lost += max(0, $v[0] - $g);
                $doubled += max(0, $g - ($v[0] + $v[1] + $v[2]));
                if (getenv('FO_DEBUG') && ($g < $v[0] || $g > $v[0] + $v[1] + $v[2])) {
                    fprintf(STDERR, "  %s %s #%d %s: SQL %d, confirmed %d, unconfirmed %d, unknown %d\n", $d, $type, $id, $key, $g, ...array_slice($v, 0, 3));
                }
            }
        }
    }
    $left = 0;
    foreach (array_keys(tc_masters($cl)) as $port) {
        $s = fsockopen('127.0.0.1', $port);
        $left += fault_scan_count($s, fault_glob($t['prefix']) . '*');
        fclose($s);
    }
    $errs = $st['errors'];
    arsort($errs);
    $lines[] = sprintf("$me: %s: %d sync runs (%d failed: expected around the events), %d batches, %d counters synced, %d claims recovered",
        $d, $st['runs'], $st['failed_runs'], $st['batches'], $st['synced'], $st['recovered']);
    foreach (array_slice($errs, 0, 4, true) as $m => $n) {
        $lines[] = "$me: $d:   {$n}x $m";
    }
    $lines[] = sprintf("$me: %s: %d counters, SQL sum %d = confirmed %d + %d (allowed 0..%d: unconfirmed + unknown), lost %d, double-counted %d%s, Redis keys left %d",
        $d, $counters, $sql, $confirmed, $sql - $confirmed, $slack, $lost, $doubled,
        $noWait ? ' (no WAIT before commit: the double counting it prevents)' : '', $left);
    $checks["$d: final sync clean"] = $final !== null;
    $checks["$d: every counter read back"] = $readErrors === 0;
    $checks["$d: nothing lost (SQL >= confirmed)"] = $lost === 0;
    if (!$noWait) $checks["$d: nothing double-counted (SQL <= confirmed + unconfirmed + unknown)"] = $doubled === 0;
    $checks["$d: no counter key left on any master"] = $left === 0;
}
$healthy = true;
foreach ($cl['nodes'] as $node) {
    try {
        $healthy = $healthy && str_contains(tc_raw(tc_port($node), ['CLUSTER', 'INFO']), 'cluster_state:ok');
    } catch (RuntimeException $e) {
        $healthy = false;
    }
}
$checks['all 6 nodes up, cluster_state:ok'] = $healthy;

// --- the figures --------------------------------------------------------------------------------
$total = array_sum($writes);
printf("%s: %d writes by %d writers over %s in %.1f s (then final syncs), wait_replicas %s, sync %s\n", $me, $total, $writers,
    implode(' + ', array_map(fn ($d) => "$d ({$targets[$d]['prefix']})", array_keys($targets))), $runSeconds,
    $haveWait ? '1 (wait_timeout 0.5 s)' : 'MISSING', $noWait ? 'WITHOUT the WAIT before commit (sync-no-wait)' : 'with WAIT before commit');
printf("%s: writes confirmed %d, unconfirmed (ReplicationException) %d, unknown (other ConnectionException) %d, refused (server error, not run) %d; failed after the cluster settled %d\n",
    $me, $writes['confirmed'], $writes['unconfirmed'], $writes['unknown'], $writes['refused'], $failedSettled);
foreach ($messages as $o => $ms) {
    foreach (array_slice(array_keys($ms), 0, 3) as $m) echo "$me:   $o: $m\n";
}
printf("%s: failover: master %d SIGKILLed %.1f s in with %.1f MB of replication stuck for its replica %d (paused %.2f s, %s); promoted after %s, old master back as its replica %s after the kill\n",
    $me, $victim, $ev['kill_at'] - $t0, $ev['stalled'] / 1048576, $replica, $ev['pause'],
    ['none' => 'no claim of a sync seen there meanwhile', 'held' => 'a sync claimed there, its batch did not commit',
        'committed' => 'a sync claimed there and committed'][$ev['claim']],
    $ev['promoted_after'] === null ? 'NEVER' : sprintf('%.1f s', $ev['promoted_after']),
    $ev['rejoined_after'] === null ? 'NEVER' : sprintf('%.1f s', $ev['rejoined_after']));
printf("%s: reshard: %d slots from %d to %d in %.2f s (redis-cli exit %d%s)\n", $me, $ev['reshard']['moved'], $from, $to,
    $ev['reshard']['seconds'], $ev['reshard']['rc'], $ev['reshard']['agreed'] ? '' : ', nodes had not agreed before');
foreach ($lines as $l) echo $l, "\n";
exit(fault_verdict($checks) ? 1 : 0);
