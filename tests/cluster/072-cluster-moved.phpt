--TEST--
After a slot moves to another master (MOVED), a write to it follows the redirection once, lands on the new owner, and later commands go there directly
--SKIPIF--
<?php $needs = ['cluster']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$c = new Tally\Counter(tc_opts());
$p = $c->getPrefix();
$key = 'moved';
$slot = tc_slot($p . $key);
$masters = tc_masters();
$from = tc_owner($slot);
$to = array_keys($masters)[(array_search($from, array_keys($masters)) + 1) % 3];
var_dump($c->incrementKey('warm', 1));   // the client has the slot map now
// Move the (empty) slot as redis-cli --cluster reshard does: IMPORTING, MIGRATING, NODE everywhere.
$move = function (int $from, int $to) use ($slot, $masters) {
    tc_raw($to, ['CLUSTER', 'SETSLOT', $slot, 'IMPORTING', $masters[$from]]);
    tc_raw($from, ['CLUSTER', 'SETSLOT', $slot, 'MIGRATING', $masters[$to]]);
    tc_raw($to, ['CLUSTER', 'SETSLOT', $slot, 'NODE', $masters[$to]]);
    tc_raw($from, ['CLUSTER', 'SETSLOT', $slot, 'NODE', $masters[$to]]);
    foreach ($masters as $port => $id) {
        tc_raw($port, ['CLUSTER', 'SETSLOT', $slot, 'NODE', $masters[$to]]);
    }
};
$move($from, $to);
var_dump(tc_raw($from, ['GET', $p . $key]));
var_dump($c->incrementKey($key, 7));
var_dump($c->incrementKey($key, 1));
var_dump(tc_raw($to, ['GET', $p . $key]));
var_dump($c->getKeys([$key, 'warm']));
// An owner counter whose hash tag is in a moved slot follows too.
var_dump($c->deleteKeys([$key, 'warm']));
$move($to, $from);
var_dump($c->incrementKey($key, 2), tc_raw($from, ['GET', $p . $key]));
var_dump($c->deleteKeys([$key]));
?>
--EXPECTF--
int(1)
array(1) {
  ["error"]=>
  string(%d) "MOVED %d 127.0.0.1:%d"
}
int(7)
int(8)
string(1) "8"
array(2) {
  ["moved"]=>
  int(8)
  ["warm"]=>
  int(1)
}
int(2)
int(2)
string(1) "2"
int(1)
