<?php
// Fault injection for the sync's exactly-once claim: writer processes issue a known set of
// increments (negative amounts, keys with ':', '{', '}', UTF-8) while sync processes run two
// at a time in a loop, die by SIGKILL at random failpoints and stall at others for longer
// than their lock lives (so that a second run takes over from a live one: stale runs the
// fence must stop), and MariaDB is stopped and restarted once. Some increments also feed
// periods (the lifetime counter + day + ISO week + month in one call, or a day alone), on a
// test clock (a file the writers read: the day their increments count for) that the main
// loop moves forward a day at a time from 2026-12-27 over a week's, a month's and a year's
// end while syncs die. After a final clean sync, SQL must hold exactly what was issued,
// every period's total included, and Redis no counter key.
//
//   php -n -d extension=modules/tally.so tests/fault/sync-chaos.php [--kills=N] [--seconds=S] [--tls]
// Needs TALLY_TEST_REDIS_PORT, TALLY_TEST_MYSQL_* and TALLY_SERVICES_DIR (scripts/services).
// --tls: every process talks to the TLS-only Redis (TALLY_TEST_REDIS_TLS_PORT, a build with TLS).
// Prints the figures and a closing "N passed, N failed" line (one check per claim below).
declare(strict_types=1);

require __DIR__ . '/lib.inc';

$opt = getopt('', ['kills::', 'seconds::', 'writers::', 'increments::', 'tls']);
$tls = isset($opt['tls']);
$minKills = (int) ($opt['kills'] ?? 50);
$maxSeconds = (float) ($opt['seconds'] ?? 240);
$writers = (int) ($opt['writers'] ?? 4);
$perWriter = (int) ($opt['increments'] ?? PHP_INT_MAX);   // by default: until told to stop
$repo = dirname(__DIR__, 2);
$so = getenv('TALLY_SO') ?: $repo . '/modules/tally.so';   // scripts/test sets it per hiredis flavour
$prefix = 'chaos:' . getmypid() . ':';
$table = 'chaos_counters';

$redis = ['host' => '127.0.0.1', 'port' => (int) getenv('TALLY_TEST_REDIS_PORT'), 'prefix' => $prefix];
if ($tls) {
    $redis = ['port' => (int) getenv('TALLY_TEST_REDIS_TLS_PORT'), 'tls' => true,
        'tls_ca_file' => getenv('TALLY_TEST_TLS_DIR') . '/ca.crt'] + $redis;
}
$mysql = fault_mysql_options($table);
if (!$redis['port'] || !$mysql['port'] || !getenv('TALLY_SERVICES_DIR')) {
    fwrite(STDERR, "sync-chaos: run under scripts/test (needs TALLY_TEST_* and TALLY_SERVICES_DIR)\n");
    exit(2);
}

$types = ['App\Models\User', 'Team:{blue}', 'Ünïcødé', 'uuid'];
$keys = ['downloads', 'a:b', '{curly}', 'ключ ✓', 'net'];

/** Every owner a writer may touch: the baseline is read for all of them up front. */
function universe(array $types): array
{
    $owners = [];
    foreach ($types as $type) {
        if ($type === 'uuid') {
            for ($a = 0; $a <= 20; $a++) {
                for ($b = 0; $b <= 3; $b++) {
                    $owners[] = [$type, sprintf('%08x-0000-4000-8000-%012x', $a, $b)];
                }
            }
        } else {
            for ($id = 1; $id <= 60; $id++) {
                $owners[] = [$type, (string) $id];
            }
        }
    }
    return $owners;
}

$db = new Tally\Database($mysql);
$db->createTables();
$m = new Tally\Counter($redis);

// What the table held before (earlier runs share it): the result must be this + what was issued.
$baseline = [];
foreach (universe($types) as [$type, $id]) {
    foreach ($m->getAll($db, $type, $id) as $key => $v) {
        $baseline["$type\0$id"][$key] = $v;
    }
}
$tmp = sys_get_temp_dir() . '/tally-chaos-' . getmypid();
@mkdir($tmp);
// The test clock: the day period increments count for. A key of this run alone, so that
// its period rows start from nothing.
$clock = "$tmp/clock";
$day = new DateTimeImmutable('2026-12-27');
/** Sets the test clock in one step (a rename): a writer never reads it half-written. */
function set_clock(string $clock, DateTimeImmutable $day): void
{
    file_put_contents("$clock.new", $day->format('Y-m-d'));
    rename("$clock.new", $clock);
}
set_clock($clock, $day);
$periodKey = 'views-' . getmypid();

/** The first days of the periods of $day an increment with $periods counts in. */
function period_starts(string $day, array $periods): array
{
    $d = new DateTimeImmutable($day);
    $starts = ['' => '', 'day' => $day, 'week' => $d->modify('-' . ((int) $d->format('N') - 1) . ' days')->format('Y-m-d'),
        'month' => $d->format('Y-m-01')];
    return array_intersect_key($starts, array_flip($periods));
}

$t0 = microtime(true);

// --- writers --------------------------------------------------------------------------
// Each writes until told to stop (SIGTERM), recording only increments that returned.
$writerPids = [];
for ($w = 0; $w < $writers; $w++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        $stop = false;
        pcntl_async_signals(true);
        pcntl_signal(SIGTERM, function () use (&$stop) { $stop = true; });
        $c = new Tally\Counter($redis);
        $rng = new Random\Randomizer(new Random\Engine\Mt19937(1000 + $w));
        $universe = universe($types);
        $done = [];
        $periodDone = [];               // "type\0id" => "period|start" => total
        $issued = 0;
        while (!$stop && $issued < $perWriter) {
            [$type, $id] = $universe[$rng->getInt(0, count($universe) - 1)];
            if ($issued % 5 === 2) {
                // A period increment, on the test clock: lifetime + day + week + month in one
                // call, or (a claim with no lifetime counter) the day alone.
                $periods = $rng->getInt(0, 3) === 0 ? ['day'] : ['', 'day', 'week', 'month'];
                $today = (string) file_get_contents($clock);
                $amount = $rng->getInt(1, 4);
                $c->increment($type, $id, $periodKey, $amount, $periods, $today);
                foreach (period_starts($today, $periods) as $p => $start) {
                    if ($p === '') {
                        $done["$type\0$id"][$periodKey] = ($done["$type\0$id"][$periodKey] ?? 0) + $amount;
                    } else {
                        $periodDone["$type\0$id"]["$p|$start"] = ($periodDone["$type\0$id"]["$p|$start"] ?? 0) + $amount;
                    }
                }
                $issued++;
                usleep(300);
                continue;
            }
            $key = $keys[$rng->getInt(0, count($keys) - 1)];
            $amount = $key === 'net' ? $rng->getInt(-9, 5) : $rng->getInt(1, 3);
            if ($issued % 7 === 0 && $key !== 'downloads') {
                $c->incrementMany($type, $id, [$key => $amount, 'downloads' => 1]);
                $done["$type\0$id"]['downloads'] = ($done["$type\0$id"]['downloads'] ?? 0) + 1;
                $issued++;
            } else {
                $c->increment($type, $id, $key, $amount);
            }
            $done["$type\0$id"][$key] = ($done["$type\0$id"][$key] ?? 0) + $amount;
            $issued++;
            usleep(300);                // keep writing while the syncs die around us
        }
        file_put_contents("$tmp/writer-$w.json", json_encode(['issued' => $issued, 'done' => $done, 'periods' => $periodDone]));
        exit(0);
    }
    $writerPids[$pid] = true;
}

// --- syncs that die --------------------------------------------------------------------
$syncCode = <<<'PHP'
try {
    $c = new Tally\Counter(json_decode(getenv('CHAOS_REDIS'), true));
    $db = new Tally\Database(json_decode(getenv('CHAOS_MYSQL'), true));
    // Three runs; while another holds the lock, try again every 0.2 s (up to 4 s), so that
    // a run that stalls past its lock's life is taken over.
    for ($done = 0, $tries = 0; $done < 3 && $tries < 20; $tries++) {
        $r = $c->sync($db, ['batch_size' => 40, 'lock_ttl' => 1]);
        echo json_encode($r), "\n";
        if ($r['locked']) {
            usleep(200000);
        } else {
            $done++;
        }
    }
} catch (Tally\Exception $e) {
    echo json_encode(['synced' => 0, 'recovered' => 0, 'locked' => false, 'errors' => [$e->getMessage()]]), "\n";
}
PHP;

/** Runs one sync process per environment, all at once; returns [report lines, killed by SIGKILL?] of each. */
function run_syncs(string $so, string $code, array $envs, string $tmp): array
{
    $procs = [];
    foreach ($envs as $i => $env) {
        $out = "$tmp/sync-$i.out";
        $err = "$tmp/sync-$i.err";
        $procs[] = [fault_spawn($so, $code, $env, $out, $err), $out, $err];
    }
    $results = [];
    foreach ($procs as [$p, $out, $err]) {
        $st = fault_reap($p);
        $killed = $st['killed'];
        if (!$killed && $st['exitcode'] !== 0) {
            fwrite(STDERR, "sync-chaos: a sync exited {$st['exitcode']}: " . file_get_contents($err) . "\n");
        }
        $reports = [];
        foreach (array_filter(explode("\n", (string) file_get_contents($out))) as $line) {
            $r = json_decode($line, true);
            if (is_array($r)) $reports[] = $r;
        }
        unlink($out);
        unlink($err);
        $results[] = [$reports, $killed];
    }
    return $results;
}

/** Adds one sync process's reports to the figures. */
function count_reports(array &$stats, array $reports): void
{
    foreach ($reports as $r) {
        $stats['recovered'] += $r['recovered'] ?? 0;
        $stats['synced'] += $r['synced'] ?? 0;
        $stats['locked'] += (int) ($r['locked'] ?? false);
        foreach ($r['errors'] as $e) {
            if (getenv("CHAOS_DEBUG")) fwrite(STDERR, "  sync error: $e\n");
            $stats['errors']++;
            if (str_contains($e, 'another sync run took over')) $stats['fenced']++;
            if (str_contains($e, 'lost the sync lock')) $stats['lock_lost']++;
        }
    }
}

$stats = ['syncs' => 0, 'kills' => 0, 'recovered' => 0, 'synced' => 0, 'errors' => 0, 'locked' => 0,
    'fenced' => 0, 'lock_lost' => 0];
$lastDay = new DateTimeImmutable('2027-01-08');
$mysqlRestarted = false;
$n = 0;
while (true) {
    $writersDone = true;
    foreach ($writerPids as $pid => $_) {
        if (pcntl_waitpid($pid, $status, WNOHANG) === $pid) {
            unset($writerPids[$pid]);
        } else {
            $writersDone = false;
        }
    }
    if ($stats['kills'] >= $minKills && $mysqlRestarted) {
        break;
    }
    if (microtime(true) - $t0 > $maxSeconds) {
        fwrite(STDERR, "sync-chaos: time is up ($maxSeconds s)\n");
        break;
    }
    if (!$mysqlRestarted && $stats['kills'] >= intdiv($minKills, 2)) {
        // MariaDB goes away for a while under running syncs, then comes back.
        exec('bash ' . escapeshellarg("$repo/scripts/services") . ' stop-mariadb ' . escapeshellarg(getenv('TALLY_SERVICES_DIR')) . ' 2>/dev/null');
        for ($i = 0; $i < 3; $i++) {
            [[$reports]] = run_syncs($so, $syncCode, [['CHAOS_REDIS' => json_encode($redis), 'CHAOS_MYSQL' => json_encode($mysql)]], $tmp);
            $stats['syncs']++;
            foreach ($reports as $r) {
                $stats['errors'] += count($r['errors']);
            }
        }
        exec('bash ' . escapeshellarg("$repo/scripts/services") . ' start-mariadb ' . escapeshellarg(getenv('TALLY_SERVICES_DIR')) . ' 2>/dev/null', $o, $rc);
        if ($rc !== 0) {
            fwrite(STDERR, "sync-chaos: MariaDB did not come back\n");
            exit(1);
        }
        $mysqlRestarted = true;
        continue;
    }
    // Two at a time. At every failpoint a run may stall for longer than its 1 s lock (4 %),
    // so that the other takes over while it lives, and then may die (12 %).
    $envs = [];
    for ($i = 0; $i < 2; $i++) {
        $n++;
        $envs[] = ['CHAOS_REDIS' => json_encode($redis), 'CHAOS_MYSQL' => json_encode($mysql),
            'TALLY_FAILPOINTS' => '*=sleep:1300%4,*=kill%12', 'TALLY_FAILPOINTS_SEED' => (string) (7919 * $n)];
    }
    foreach (run_syncs($so, $syncCode, $envs, $tmp) as [$reports, $killed]) {
        $stats['syncs']++;
        $stats['kills'] += (int) $killed;
        count_reports($stats, $reports);
    }
    // The test clock moves on a day every round (writers pick it up at once).
    if ($day < $lastDay) {
        $day = $day->modify('+1 day');
        set_clock($clock, $day);
    }
}
foreach ($writerPids as $pid => $_) {
    fault_signal($pid);
    pcntl_waitpid($pid, $status);
}
$expected = $baseline;
$expectedPeriods = [];
$issued = 0;
$writersDied = 0;
for ($w = 0; $w < $writers; $w++) {
    // A writer that died (an exception from an increment) left no record: its increments
    // are unknown, and every later figure would be wrong.
    if (!is_file("$tmp/writer-$w.json")) {
        $writersDied++;
        continue;
    }
    $r = json_decode((string) file_get_contents("$tmp/writer-$w.json"), true);
    $issued += $r['issued'];
    foreach ($r['done'] as $owner => $want) {
        foreach ($want as $key => $v) {
            $expected[$owner][$key] = ($expected[$owner][$key] ?? 0) + $v;
        }
    }
    foreach ($r['periods'] as $owner => $want) {
        foreach ($want as $pk => $v) {
            $expectedPeriods[$owner][$pk] = ($expectedPeriods[$owner][$pk] ?? 0) + $v;
        }
    }
    unlink("$tmp/writer-$w.json");
}
unlink($clock);
rmdir($tmp);

// --- the final clean sync ------------------------------------------------------------------
$db = new Tally\Database($mysql);     // the old session did not survive the restart
$final = null;
for ($i = 0; $i < 20; $i++) {
    $r = $m->sync($db, ['batch_size' => 500]);
    $stats['recovered'] += $r['recovered'];
    if ($r['locked']) {
        usleep(300000);             // a killed run's lock: it expires by itself
        continue;
    }
    if ($r['errors']) {
        fwrite(STDERR, 'sync-chaos: final sync: ' . implode('; ', $r['errors']) . "\n");
        usleep(300000);
        continue;
    }
    $final = $r;
    if ($r['synced'] === 0 && $r['recovered'] === 0) break;
}

// --- the figures -------------------------------------------------------------------------
$lost = $double = $counters = 0;
$sumExpected = $sumStored = 0;
foreach ($expected as $owner => $want) {
    [$type, $id] = explode("\0", $owner, 2);
    $got = $m->getAll($db, $type, $id);
    $pending = $m->pendingAll($type, $id);
    foreach ($want as $key => $v) {
        $counters++;
        $g = $got[$key] ?? 0;
        $sumExpected += $v;
        $sumStored += $g;
        if ($g < $v) $lost += $v - $g;
        if ($g !== $v && getenv('CHAOS_DEBUG')) fprintf(STDERR, "  %s #%s %s: expected %d, stored %d\n", $type, $id, $key, $v, $g);
        if ($g > $v) $double += $g - $v;
    }
}
// Every period's total, read exactly (Redis holds nothing of it by now: the rows alone).
$periodLost = $periodDouble = $periodCounters = 0;
$days = [];
foreach ($expectedPeriods as $owner => $want) {
    [$type, $id] = explode("\0", $owner, 2);
    foreach ($want as $pk => $v) {
        [$p, $start] = explode('|', $pk);
        $periodCounters++;
        if ($p === 'day') $days[$start] = true;
        $g = $m->get($db, $type, $id, $periodKey, $p, $start);
        if ($g < $v) $periodLost += $v - $g;
        if ($g > $v) $periodDouble += $g - $v;
        if ($g !== $v && getenv('CHAOS_DEBUG')) fprintf(STDERR, "  %s #%s %s %s: expected %d, stored %d\n", $type, $id, $p, $start, $v, $g);
    }
}
ksort($days);
$spanned = array_keys($days);
// No counter key (pending or in flight) may remain under the prefix.
$s = $tls
    ? stream_socket_client('tls://127.0.0.1:' . $redis['port'], $errno, $errstr, 5.0, STREAM_CLIENT_CONNECT,
        stream_context_create(['ssl' => ['cafile' => $redis['tls_ca_file'], 'peer_name' => 'localhost']]))
    : fsockopen('127.0.0.1', $redis['port']);
$left = fault_scan_count($s, $prefix . '*');

printf("sync-chaos: %d increments by %d writers over %d counters in %.1f s%s\n", $issued, $writers, $counters,
    microtime(true) - $t0, $tls ? ', Redis over TLS' : '');
printf("sync-chaos: %d sync processes, %d killed by SIGKILL at random failpoints, MariaDB restarted %s\n",
    $stats['syncs'], $stats['kills'], $mysqlRestarted ? 'once' : 'NEVER');
printf("sync-chaos: %d leftover claims recovered, %d sync errors reported (expected while MariaDB was down, and from stale runs), %d runs found the lock held\n",
    $stats['recovered'], $stats['errors'], $stats['locked']);
printf("sync-chaos: stale runs (outlived their lock while another took over): %d batches refused by the fence, %d runs noticed the lost lock\n",
    $stats['fenced'], $stats['lock_lost']);
printf("sync-chaos: expected sum (earlier rows + issued) %d, stored sum %d, lost %d, double-counted %d, Redis keys left %d\n",
    $sumExpected, $sumStored, $lost, $double, $left);
printf("sync-chaos: periods: %d period counters (day, week, month) over %d days (%s to %s), lost %d, double-counted %d\n",
    $periodCounters, count($spanned), $spanned[0] ?? '-', end($spanned) ?: '-', $periodLost, $periodDouble);

$checks = [
    'every writer finished' => $writersDied === 0,
    'at least ' . $minKills . ' kills' => $stats['kills'] >= $minKills,
    'MariaDB was restarted' => $mysqlRestarted,
    'stale runs met and were stopped' => $stats['fenced'] + $stats['lock_lost'] > 0,
    'final sync clean' => $final !== null,
    'nothing lost' => $lost === 0,
    'nothing double-counted' => $double === 0,
    'the test clock crossed a week, a month and a year' => in_array('2026-12-27', $spanned, true)
        && count(array_filter($spanned, fn ($d) => $d >= '2027-01-04')) > 0,
    'every period total exact (nothing lost or doubled)' => $periodCounters > 0 && $periodLost === 0 && $periodDouble === 0,
    'no Redis keys left' => $left === 0,
];
exit(fault_verdict($checks) ? 1 : 0);
