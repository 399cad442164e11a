<?php
// The main job, end to end: several worker processes count downloads, views and bytes for
// many products through the tally extension while syncs move the counts into an SQLite file
// (the embedded default) and a progress line updates; then a final sync, and the exact totals
// (SQL + pending + in flight) are checked against what was issued.
declare(strict_types=1);

$opts = ['host' => '127.0.0.1', 'port' => (int) (getenv('TALLY_DEMO_REDIS_PORT') ?: 6379), 'prefix' => 'demo:'];
$sqlite = getenv('TALLY_DEMO_SQLITE') ?: sys_get_temp_dir() . '/tally-demo.sqlite';
$workers = (int) ($argv[1] ?? 4);
$perWorker = (int) ($argv[2] ?? 5000);
$owners = 50;
$batch = 'batch-' . getmypid();

$c = new Tally\Counter($opts);
foreach (range(1, $owners) as $id) {
    $c->forget('App\Models\Product', $id);
}
foreach ([$sqlite, "$sqlite-wal", "$sqlite-shm"] as $f) {
    @unlink($f);
}
$db = new Tally\Database(['driver' => 'sqlite', 'path' => $sqlite]);
$db->createTables();
$c->deleteKeys(["$batch:completed", "$batch:failed"]);

$total = $workers * $perWorker;
printf("tally %s — %d workers × %d increments over %d products, Redis %s:%d, SQLite %s\n",
    phpversion('tally'), $workers, $perWorker, $owners, $opts['host'], $opts['port'], $sqlite);
printf("  progress: each item counts as completed or failed in two ephemeral counters; every 97th is a simulated failure (%d expected)\n",
    $workers * intdiv($perWorker + 96, 97));

$t0 = microtime(true);
$pids = [];
for ($w = 0; $w < $workers; $w++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        // Each child gets its own connection (the parent's pooled socket is never shared).
        mt_srand($w);
        for ($i = 0; $i < $perWorker; $i++) {
            $id = mt_rand(1, $owners);
            if ($i % 10 === 0) {
                // Ten counters of one owner in one round trip.
                $c->incrementMany('App\Models\Product', $id, ['downloads' => 1, 'views' => 3, 'bytes' => 1024]);
            } else {
                $c->increment('App\Models\Product', $id, 'downloads');
                $c->increment('App\Models\Product', $id, 'views', 3);
                $c->increment('App\Models\Product', $id, 'bytes', 1024);
            }
            // Job progress as in rejoose/model-counter: a completed/failed pair of ephemeral
            // counters with a TTL set on first use. Every 97th item plays a failed job item,
            // so the "failed" count shows the pair at work; nothing really fails.
            $c->incrementKey($i % 97 === 0 ? "$batch:failed" : "$batch:completed", 1, 3600);
        }
        exit(0);
    }
    $pids[] = $pid;
}

// Progress: the ephemeral counters are readable in one round trip while workers run, and
// syncs move what is pending into SQLite as it arrives.
$running = $pids;
$synced = $syncs = 0;
while ($running) {
    foreach ($running as $k => $pid) {
        if (pcntl_waitpid($pid, $status, WNOHANG) === $pid) {
            unset($running[$k]);
        }
    }
    $r = $c->sync($db);
    $synced += $r['synced'];
    $syncs++;
    $p = $c->getKeys(["$batch:completed", "$batch:failed"]);
    $done = $p["$batch:completed"] + $p["$batch:failed"];
    $bar = str_repeat('#', (int) (40 * $done / $total));
    printf("\r  [%-40s] %3d%%  %d done, %d simulated failures, %d counter rows synced in %d syncs",
        $bar, (int) (100 * $done / $total), $done, $p["$batch:failed"], $synced, $syncs);
    usleep(200000);
}
$seconds = microtime(true) - $t0;
echo "\n";
$r = $c->sync($db);
printf("  final sync: %d counters of %d owners in %d batch(es), %.3f s\n", $r['synced'], $r['owners'], $r['batches'], $r['seconds']);

$sum = ['downloads' => 0, 'views' => 0, 'bytes' => 0];
$pending = 0;
foreach (range(1, $owners) as $id) {
    foreach ($c->getAll($db, 'App\Models\Product', $id) as $key => $value) {
        $sum[$key] += $value;
    }
    $pending += count($c->pendingAll('App\Models\Product', $id));
}
$top = $c->getMany($db, 'App\Models\Product', 1, ['downloads', 'views', 'bytes']);
printf("  product #1: %d downloads, %d views, %d bytes\n", $top['downloads'], $top['views'], $top['bytes']);
$many = intdiv($perWorker + 9, 10);
$calls = $workers * (2 * $many + 4 * ($perWorker - $many));   // incrementMany rows take 2 calls, the others 4
printf("  %d calls in %.2f s (%.0f calls/s over %d processes)\n", $calls, $seconds, $calls / $seconds, $workers);
printf("  ttl of the progress counter: %d s\n", $c->ttl("$batch:completed"));

$expect = ['downloads' => $total, 'views' => 3 * $total, 'bytes' => 1024 * $total];
$ok = $sum === $expect && $pending === 0;
printf("  pending counters left in Redis after the final sync: %d\n", $pending);
foreach ($expect as $k => $v) {
    printf("  %-9s issued %10d  counted %10d  %s\n", $k, $v, $sum[$k], $sum[$k] === $v ? 'ok' : 'MISMATCH');
}
foreach (range(1, $owners) as $id) {
    $c->forget('App\Models\Product', $id);
}
$c->deleteKeys(["$batch:completed", "$batch:failed"]);
echo $ok ? "demo: all totals in SQLite match what was issued\n" : "demo: TOTALS DO NOT MATCH\n";
exit($ok ? 0 : 1);
