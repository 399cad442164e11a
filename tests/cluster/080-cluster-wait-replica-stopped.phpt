--TEST--
On a cluster of its own with wait_replicas => 1: while one master's replica is stopped, a write to that master throws ReplicationException naming it (the master keeps the write) and writes to the other masters succeed
--SKIPIF--
<?php $needs = ['cluster', 'redis-server']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$cl = tc_cluster_start();
try {
    // Every master lists its replica, and the replica acknowledges.
    for ($i = 0; $i < 300 && (count(tc_replicas($cl)) < 3 || min(array_map('count', tc_replicas($cl))) < 1); $i++) {
        usleep(50000);
    }
    foreach (array_keys(tc_replicas($cl)) as $m) {
        for ($i = 0; $i < 100 && tc_raw($m, ['WAIT', '1', '100']) !== 1; $i++);
    }
    $c = new Tally\Counter(tc_opts(['wait_replicas' => 1, 'wait_timeout' => 0.3, 'read_timeout' => 1.0, 'persistent' => false], $cl));
    $p = $c->getPrefix();
    $replicas = tc_replicas($cl);
    [$a, $b] = array_keys($replicas);
    $name = function (int $port) use ($p, $cl) {
        for ($n = 0; tc_owner(tc_slot($p . "k$n", $cl), $cl) !== $port; $n++);
        return "k$n";
    };
    $ka = $name($a);
    $kb = $name($b);
    var_dump($c->incrementKey($ka, 1), $c->incrementKey($kb, 1));

    $pid = tc_pid($cl, $replicas[$a][0]);
    shell_exec("kill -STOP $pid");
    try {
        $t0 = microtime(true);
        try {
            $c->incrementKey($ka, 10);
            echo "no exception\n";
        } catch (Tally\ReplicationException $e) {
            echo get_class($e), "\n";
            var_dump(str_contains($e->getMessage(), "the write reached Redis at 127.0.0.1:$a (the master) but only 0 of 1 replicas confirmed it within 0.3 s (wait_timeout)"));
            var_dump(str_contains($e->getMessage(), 'it was NOT undone and must not be blindly retried'));
        }
        var_dump(microtime(true) - $t0 < 0.95);
        var_dump(tc_raw($a, ['GET', $p . $ka]));
        var_dump($c->incrementKey($kb, 1));
    } finally {
        shell_exec("kill -CONT $pid");
    }
} finally {
    tc_cluster_stop($cl);
}
?>
--EXPECT--
int(1)
int(1)
Tally\ReplicationException
bool(true)
bool(true)
bool(true)
string(2) "11"
int(2)
