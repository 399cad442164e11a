--TEST--
On the TLS-only cluster, from one seed named localhost: the nodes the slot map names (127.0.0.1) are reached over TLS too, and a MOVED to a master this client never spoke to opens a TLS connection to it and lands there
--SKIPIF--
<?php $needs = ['tls', 'cluster-tls']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../cluster/cluster.inc';
$cl = tc_tls_cluster();
$masters = tc_masters($cl);
$ports = array_keys($masters);
$c = new Tally\Counter(tc_opts(['cluster' => ['localhost:' . $ports[0]], 'persistent' => false], $cl));
$p = $c->getPrefix();
// A key on the seed's master (the only node this client talks to so far), and an empty slot
// of another master that moves to the third one.
for ($n = 0; tc_owner(tc_slot($p . "warm$n", $cl), $cl) !== $ports[0]; $n++);
$warm = "warm$n";
for ($n = 0; tc_owner(tc_slot($p . "moved$n", $cl), $cl) !== $ports[1]; $n++);
$key = "moved$n";
$slot = tc_slot($p . $key, $cl);
tc_raw($ports[0], ['DEL', $p . $warm], false, $cl);   // left by an earlier run that failed
tc_raw($ports[1], ['DEL', $p . $key], false, $cl);
var_dump($c->incrementKey($warm, 1));
$move = function (int $from, int $to) use ($slot, $masters, $ports, $cl) {
    tc_raw($to, ['CLUSTER', 'SETSLOT', $slot, 'IMPORTING', $masters[$from]], false, $cl);
    tc_raw($from, ['CLUSTER', 'SETSLOT', $slot, 'MIGRATING', $masters[$to]], false, $cl);
    foreach (array_unique(array_merge([$to, $from], $ports)) as $port) {
        tc_raw($port, ['CLUSTER', 'SETSLOT', $slot, 'NODE', $masters[$to]], false, $cl);
    }
};
// The client's map still says $ports[1]: it is sent there, told MOVED, and follows to $ports[2].
$move($ports[1], $ports[2]);
try {
    var_dump($c->incrementKey($key, 7), $c->incrementKey($key, 1));
    var_dump(tc_raw($ports[2], ['GET', $p . $key], false, $cl), tc_raw($ports[1], ['GET', $p . $key], false, $cl));
    var_dump($c->getKeys([$key, $warm]));
    var_dump($c->deleteKeys([$key, $warm]));
} finally {
    $move($ports[2], $ports[1]);   // the shared cluster as it was
}
var_dump(tc_owner($slot, $cl) === $ports[1]);
?>
--EXPECTF--
int(1)
int(7)
int(8)
string(1) "8"
array(1) {
  ["error"]=>
  string(%d) "MOVED %d 127.0.0.1:%d"
}
array(2) {
  ["moved%d"]=>
  int(8)
  ["warm%d"]=>
  int(1)
}
int(2)
bool(true)
