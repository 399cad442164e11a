--TEST--
With wait_replicas on a cluster of its own, a manual failover (CLUSTER FAILOVER: the master becomes a replica) is followed like any MOVED: the next writes go to the new master and are confirmed, none is reported unconfirmed, none is lost or applied twice
--SKIPIF--
<?php $needs = ['cluster', 'redis-server']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$cl = tc_cluster_start();
try {
    for ($i = 0; $i < 200 && (count($replicas = tc_replicas($cl)) < 3 || in_array([], $replicas, true)); $i++) {
        usleep(50000);
    }
    $c = new Tally\Counter(tc_opts(['wait_replicas' => 1, 'wait_timeout' => 0.5, 'read_timeout' => 2.0], $cl));
    $p = $c->getPrefix();
    $slot = tc_slot($p . 'k', $cl);
    $old = tc_owner($slot, $cl);
    $replica = $replicas[$old][0];
    var_dump($c->incrementKey('k', 1));
    var_dump(tc_raw($replica, ['CLUSTER', 'FAILOVER']));
    for ($i = 0; $i < 100 && tc_owner($slot, $cl, $replica) !== $replica; $i++) usleep(50000);
    var_dump(tc_owner($slot, $cl, $replica) === $replica);
    for ($i = 0; $i < 3; $i++) {
        try {
            var_dump($c->incrementKey('k', 10));
        } catch (Tally\ConnectionException $e) {
            echo get_class($e), ': ', $e->getMessage(), "\n";
        }
    }
    var_dump($c->getKey('k'), tc_raw($replica, ['GET', $p . 'k']));
} finally {
    tc_cluster_stop($cl);
}
?>
--EXPECT--
int(1)
string(2) "OK"
bool(true)
int(11)
int(21)
int(31)
int(31)
string(2) "31"
