--TEST--
While a slot is being migrated, a key not yet on the source is served on the target via ASK (ASKING + the command, once), for plain commands and scripts, the slot map stays as it was, and a script over keys split by the migration gets TRYAGAIN, retried with backoff until the migration ends or read_timeout passes
--SKIPIF--
<?php $needs = ['cluster']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$c = new Tally\Counter(tc_opts());
$p = $c->getPrefix();
$key = 'asked';
$slot = tc_slot($p . $key);
$masters = tc_masters();
$from = tc_owner($slot);
$to = array_keys($masters)[(array_search($from, array_keys($masters)) + 1) % 3];
// An owner counter in the same slot: find an owner id whose hash lands there.
for ($id = 0; tc_slot($p . '{App%5CUser:' . $id . '}') !== $slot; $id++);
tc_raw($to, ['CLUSTER', 'SETSLOT', $slot, 'IMPORTING', $masters[$from]]);
tc_raw($from, ['CLUSTER', 'SETSLOT', $slot, 'MIGRATING', $masters[$to]]);
var_dump(tc_raw($from, ['GET', $p . $key]));
var_dump($c->incrementKey($key, 5));
var_dump($c->incrementKey($key, 1, 60));      // the INCR_TTL script: NOSCRIPT on the target, then EVAL
var_dump($c->getKey($key));
var_dump($c->incrementMany('App\User', $id, ['a' => 1, 'b' => 2]));
var_dump($c->pendingAll('App\User', $id));
// On the target, only with ASKING; the source has nothing of the slot.
var_dump(tc_raw($to, ['GET', $p . $key], true), tc_raw($from, ['CLUSTER', 'COUNTKEYSINSLOT', $slot]));
var_dump(tc_owner($slot) === $from);
// forget() touches the owner hash (on the target) and its set-aside hash (nowhere): a
// multi-key script during the migration, answered TRYAGAIN until it ends.
$short = new Tally\Counter(tc_opts(['read_timeout' => 0.3, 'persistent' => false]));
$t0 = microtime(true);
tally_try(fn () => $short->forget('App\User', $id));
$took = microtime(true) - $t0;
var_dump($took > 0.25 && $took < 1.0);
// The migration ends 0.3 s from now (in a child): the retried forget() then runs, once.
$child = tally_child_php_start('usleep(300000);
foreach ($args["masters"] as $port => $nid) {
    tally_raw(["CLUSTER", "SETSLOT", $args["slot"], "NODE", $args["masters"][$args["to"]]], $port);
}', [], ['masters' => $masters, 'slot' => $slot, 'to' => $to]);
var_dump($c->forget('App\User', $id));
tally_child_php_wait($child);
var_dump(tc_owner($slot) === $to, $c->pendingAll('App\User', $id));
var_dump($c->deleteKeys([$key]));
// Move the (now empty) slot back.
tc_raw($from, ['CLUSTER', 'SETSLOT', $slot, 'IMPORTING', $masters[$to]]);
tc_raw($to, ['CLUSTER', 'SETSLOT', $slot, 'MIGRATING', $masters[$from]]);
foreach ([$from, $to] + array_keys($masters) as $port) {
    tc_raw($port, ['CLUSTER', 'SETSLOT', $slot, 'NODE', $masters[$from]]);
}
foreach (array_keys($masters) as $port) {
    tc_raw($port, ['CLUSTER', 'SETSLOT', $slot, 'NODE', $masters[$from]]);
}
var_dump($c->incrementKey($key, 3), tc_raw($from, ['GET', $p . $key]));
var_dump($c->deleteKeys([$key]));
?>
--EXPECTF--
array(1) {
  ["error"]=>
  string(%d) "ASK %d 127.0.0.1:%d"
}
int(5)
int(6)
int(6)
array(2) {
  ["a"]=>
  int(1)
  ["b"]=>
  int(2)
}
array(2) {
  ["a"]=>
  int(1)
  ["b"]=>
  int(2)
}
string(1) "6"
int(0)
bool(true)
Tally\ServerException: the Redis Cluster still answered 'TRYAGAIN Multiple keys request during rehashing of slot' after 0.3 s (read_timeout)
bool(true)
int(2)
bool(true)
array(0) {
}
int(1)
int(3)
string(1) "3"
int(1)
