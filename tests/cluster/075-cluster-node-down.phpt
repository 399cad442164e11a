--TEST--
On a cluster of its own: a master that stops answering gives ConnectionException within read_timeout and the command is never resent; a killed master's slots give ConnectionException while the others keep working, and after the failover its replica serves them
--SKIPIF--
<?php $needs = ['cluster', 'redis-server']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$cl = tc_cluster_start();
try {
    $c = new Tally\Counter(tc_opts(['read_timeout' => 0.5, 'connect_timeout' => 0.5, 'persistent' => false], $cl));
    $p = $c->getPrefix();
    $masters = array_keys(tc_masters($cl));
    [$a, $b] = $masters;
    $name = function (int $port) use ($p, $cl) {
        for ($n = 0; tc_owner(tc_slot($p . "k$n", $cl), $cl) !== $port; $n++);
        return "k$n";
    };
    $ka = $name($a);
    $kb = $name($b);
    $slot = tc_slot($p . $ka, $cl);
    var_dump($c->incrementKey($ka, 1), $c->incrementKey($kb, 1));

    // A stopped master: the write times out and is not sent again when it wakes up.
    $pid = tc_pid($cl, $a);
    shell_exec("kill -STOP $pid");
    $t0 = microtime(true);
    tally_try(fn () => $c->incrementKey($ka, 10));
    $took = microtime(true) - $t0;
    shell_exec("kill -CONT $pid");
    var_dump($took >= 0.45 && $took < 1.5);
    var_dump($c->getKey($ka));
    // The replica has it before the master dies (replication is asynchronous).
    for ($i = 0; $i < 100; $i++) {
        $role = tc_raw($a, ['ROLE']);
        if ($role[2] && min(array_map(fn ($r) => (int) $r[2], $role[2])) >= (int) $role[1]) break;
        usleep(20000);
    }

    // A killed master: its slots fail fast, the others' keep working.
    shell_exec("kill -KILL $pid");
    usleep(100000);
    $t0 = microtime(true);
    tally_try(fn () => $c->incrementKey($ka, 1));
    var_dump(microtime(true) - $t0 < 1.5);
    var_dump($c->incrementKey($kb, 1));

    // The replica takes over (cluster-node-timeout 1 s); the client finds it on its own
    // once every live node has the new map (a node may learn it a moment after another).
    $settled = function () use ($cl, $a, $slot) {
        foreach (tc_nodes($cl) as $node) {
            $port = tc_port($node);
            if ($port === $a) continue;
            try {
                if (tc_owner($slot, $cl, $port) === $a) return false;
            } catch (Throwable $e) {
                return false;
            }
        }
        return true;
    };
    for ($i = 0; $i < 200 && !$settled(); $i++) {
        usleep(100000);
    }
    var_dump($settled());
    var_dump($c->incrementKey($ka, 1));
    var_dump($c->getKeys([$ka, $kb]));
} finally {
    tc_cluster_stop($cl);
}
?>
--EXPECTF--
int(1)
int(1)
Tally\ConnectionException: Redis at 127.0.0.1:%d did not answer reading pipelined replies within 0.5 s (read_timeout)
bool(true)
int(11)
Tally\ConnectionException: cannot connect to Redis at 127.0.0.1:%d: Connection refused
bool(true)
int(2)
bool(true)
int(12)
array(2) {
  ["k%d"]=>
  int(12)
  ["k%d"]=>
  int(2)
}
