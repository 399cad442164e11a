--TEST--
On a cluster of its own, sync() writes no claim its replicas have not acknowledged: with one master's replica stopped the run reports it and commits nothing of what it claimed in that round trip, the next run (replica back) syncs everything exactly once; a replica that is down (killed) is not waited for
--SKIPIF--
<?php $needs = ['cluster', 'redis-server']; require __DIR__ . '/../inc/skipif.inc'; ?>
--EXTENSIONS--
sqlite3
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$cl = tc_cluster_start();
try {
    $db = tally_db('sqlite', 'mc_081');
    for ($i = 0; $i < 200 && (count($replicas = tc_replicas($cl)) < 3 || in_array([], $replicas, true)); $i++) {
        usleep(50000);    // a fresh cluster lists its replicas a moment after cluster_state:ok
    }
    $a = array_key_first($replicas);
    $ra = $replicas[$a][0];
    // A prefix whose sync lock is on another master: the run takes its lock, then claims.
    for ($n = 0; tc_owner(tc_slot(($p = "tt:081:$n:") . '{}:sync:lock', $cl), $cl) === $a; $n++);
    $c = new Tally\Counter(tc_opts(['read_timeout' => 1.0, 'persistent' => false, 'prefix' => $p], $cl));
    // The syncs have connections of their own: a WAIT covers every earlier write of its
    // connection, and the writers' last increments may not have reached the replica yet.
    $sync = new Tally\Counter(tc_opts(['read_timeout' => 1.0, 'persistent' => false, 'prefix' => $p], $cl));
    $fill = function (int $round) use ($c) {
        for ($i = 1; $i <= 60; $i++) $c->increment('T', $i, 'n', $round);
    };
    $onA = [];
    for ($i = 1; $i <= 60; $i++) {
        if (tc_owner(tc_slot($p . "{T:$i}", $cl), $cl) === $a) $onA[] = $i;
    }
    var_dump(count($onA) > 0);
    // A first run with every replica up (it also loads the scripts on every master).
    $fill(1);
    var_dump($sync->sync($db)['synced']);
    $fill(1);

    // A's replica stopped: the claims on A are not acknowledged, so nothing claimed with them commits.
    $pid = tc_pid($cl, $ra);
    shell_exec("kill -STOP $pid");
    $r = $sync->sync($db);
    shell_exec("kill -CONT $pid");
    $claimed = array_filter(tc_keys($a, $p), fn ($k) => str_ends_with($k, ':c'));
    var_dump(count($claimed) > 0);                    // A's claims ran, are left as they are
    echo preg_replace('/\d+(\.\d+)? s/', 'T s', implode(' | ', $r['errors'])), "\n";
    $stored = tally_sql('sqlite', 'mc_081', 'SELECT owner_id, count FROM mc_081 WHERE count > 1');
    var_dump(array_intersect($onA, array_map(fn ($row) => (int) $row[0], $stored)));
    // Every claim left behind is a leftover the next run finishes: exact, once.
    $r = $sync->sync($db);
    echo tally_report(['errors' => $r['errors']]), ' recovered>0: ', var_export($r['recovered'] > 0, true), "\n";
    $sum = tally_sql('sqlite', 'mc_081', 'SELECT COUNT(*), SUM(count) FROM mc_081')[0];
    var_dump((int) $sum[0], (int) $sum[1]);

    // A replica that is down is not waited for.
    shell_exec("kill -KILL $pid");
    for ($i = 0; $i < 100 && !str_contains((string) tc_raw($a, ['INFO', 'replication']), 'connected_slaves:0'); $i++) usleep(20000);
    $fill(2);
    $r = $sync->sync($db);
    echo tally_report(['synced' => $r['synced'], 'errors' => $r['errors']]), "\n";
    $sum = tally_sql('sqlite', 'mc_081', 'SELECT COUNT(*), SUM(count) FROM mc_081')[0];
    var_dump((int) $sum[0], (int) $sum[1]);
    $left = 0;
    foreach (array_keys($replicas) as $m) $left += count(tc_keys($m, $p));
    var_dump($left);
    $db = null;
    tally_db_drop('sqlite', 'mc_081');
} finally {
    tc_cluster_stop($cl);
}
?>
--EXPECTF--
bool(true)
int(60)
bool(true)
Redis at 127.0.0.1:%d: only 0 of its 1 connected replicas acknowledged the sync's claims within T s, so none claimed since is written (a failover could bring them back); they stay in Redis for the next run
array(0) {
}
errors=[] recovered>0: true
int(60)
int(120)
synced=60 errors=[]
int(60)
int(240)
int(0)
