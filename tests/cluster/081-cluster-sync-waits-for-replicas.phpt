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
    $c = new Tally\Counter(tc_opts(['read_timeout' => 1.0, 'persistent' => false], $cl));
    $p = $c->getPrefix();
    $db = tally_db('sqlite', 'mc_081');
    for ($i = 0; $i < 200 && (count($replicas = tc_replicas($cl)) < 3 || in_array([], $replicas, true)); $i++) {
        usleep(50000);    // a fresh cluster lists its replicas a moment after cluster_state:ok
    }
    $a = array_key_first($replicas);
    $ra = $replicas[$a][0];
    $fill = function (int $round) use ($c) {
        for ($i = 1; $i <= 60; $i++) $c->increment('T', $i, 'n', $round);
    };
    $onA = [];
    for ($i = 1; $i <= 60; $i++) {
        if (tc_owner(tc_slot($p . "{T:$i}", $cl), $cl) === $a) $onA[] = $i;
    }
    var_dump(count($onA) > 0);
    $fill(1);

    // A's replica stopped: the claims on A are not acknowledged, so nothing claimed with them commits.
    $pid = tc_pid($cl, $ra);
    shell_exec("kill -STOP $pid");
    $r = $c->sync($db);
    shell_exec("kill -CONT $pid");
    echo preg_replace('/\d+(\.\d+)? s/', 'T s', implode(' | ', $r['errors'])), "\n";
    $rows = tally_sql_rows('sqlite', 'mc_081');
    $stored = array_map(fn ($row) => (int) explode('|', $row)[1], $rows);
    var_dump(array_intersect($onA, $stored));
    // Every claim left behind is a leftover the next run finishes: exact, once.
    $r = $c->sync($db);
    echo tally_report(['errors' => $r['errors']]), ' recovered>0: ', var_export($r['recovered'] > 0, true), "\n";
    $sum = tally_sql('sqlite', 'mc_081', 'SELECT COUNT(*), SUM(count) FROM mc_081')[0];
    var_dump((int) $sum[0], (int) $sum[1]);

    // A replica that is down is not waited for.
    shell_exec("kill -KILL $pid");
    for ($i = 0; $i < 100 && !str_contains((string) tc_raw($a, ['INFO', 'replication']), 'connected_slaves:0'); $i++) usleep(20000);
    $fill(2);
    $r = $c->sync($db);
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
Redis at 127.0.0.1:%d: only 0 of its 1 connected replicas acknowledged the sync's claims within T s, so none claimed since is written (a failover could bring them back); they stay in Redis for the next run
array(0) {
}
errors=[] recovered>0: true
int(60)
int(60)
synced=60 errors=[]
int(60)
int(180)
int(0)
