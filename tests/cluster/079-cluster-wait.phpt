--TEST--
On the cluster, wait_replicas => 1: incrementKey, incrementMany and a buffered flush over several masters (one WAIT per master) are on each master's replica when the call returns
--SKIPIF--
<?php $needs = ['cluster']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$c = new Tally\Counter(tc_opts(['wait_replicas' => 1, 'wait_timeout' => 0.5, 'read_timeout' => 2.0, 'persistent' => false]));
$b = new Tally\Counter(tc_opts(['wait_replicas' => 1, 'wait_timeout' => 0.5, 'read_timeout' => 2.0, 'persistent' => false, 'buffer' => true]));
$p = $c->getPrefix();
$replicas = tc_replicas();
var_dump(count($replicas), min(array_map('count', $replicas)) >= 1);
// The replica of the master owning $key.
$replica = fn (string $key) => $replicas[tc_owner(tc_slot($key))][0];

$keys = [];
for ($n = 0; count($keys) < 3; $n++) {
    $keys[tc_owner(tc_slot($p . "k$n"))] ??= "k$n";
}
$ok = true;
foreach ($keys as $k) {
    tally_raw(['DEL', $p . $k], tc_owner(tc_slot($p . $k)));
    $c->incrementKey($k, 7);
    $ok = $ok && tc_replica_raw($replica($p . $k), ['GET', $p . $k]) === '7';
}
var_dump($ok);

$hash = $p . '{user:1}';
tally_raw(['DEL', $hash], tc_owner(tc_slot($hash)));
var_dump($c->incrementMany('user', 1, ['views' => 2, 'likes' => 3]));
var_dump(tc_replica_raw($replica($hash), ['HGETALL', $hash]));

// Owners on every master, one flush.
$owners = [];
for ($id = 2; count($owners) < 3; $id++) {
    $owners[tc_owner(tc_slot($p . "{user:$id}"))] ??= $id;
}
foreach ($owners as $id) {
    tally_raw(['DEL', $p . "{user:$id}"], tc_owner(tc_slot($p . "{user:$id}")));
    $b->increment('user', $id, 'views', $id);
}
foreach (array_keys($owners) as $port) {
    tally_raw(['CONFIG', 'RESETSTAT'], $port);
}
var_dump($b->flush());
// One WAIT per master written to, in the same round trip as its HINCRBYs.
$waits = [];
foreach (array_keys($owners) as $port) {
    preg_match('/cmdstat_wait:calls=(\d+)/', (string) tally_raw(['INFO', 'commandstats'], $port), $m);
    $waits[] = (int) ($m[1] ?? 0);
}
var_dump($waits);
$ok = true;
foreach ($owners as $id) {
    $ok = $ok && tc_replica_raw($replica($p . "{user:$id}"), ['HGET', $p . "{user:$id}", 'views']) === (string) $id;
}
var_dump($ok);
foreach ($keys as $k) {
    tally_raw(['DEL', $p . $k], tc_owner(tc_slot($p . $k)));
}
foreach ($owners + [0 => 1] as $id) {
    tally_raw(['DEL', $p . "{user:$id}"], tc_owner(tc_slot($p . "{user:$id}")));
}
?>
--EXPECT--
int(3)
bool(true)
bool(true)
array(2) {
  ["views"]=>
  int(2)
  ["likes"]=>
  int(3)
}
array(4) {
  [0]=>
  string(5) "views"
  [1]=>
  string(1) "2"
  [2]=>
  string(5) "likes"
  [3]=>
  string(1) "3"
}
int(3)
array(3) {
  [0]=>
  int(1)
  [1]=>
  int(1)
  [2]=>
  int(1)
}
bool(true)
