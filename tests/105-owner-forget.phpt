--TEST--
forget() drops one pending key (returning 1 or 0) or, with a null key, the owner's whole hash (returning how many counters it held)
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
foreach ([1, 2] as $id) {
    $c->forget('Order', $id);
}
$c->incrementMany('Order', 1, ['a' => 1, 'b' => 2, 'c' => 3, 'd' => 0]);
$c->incrementMany('Order', 2, ['a' => 10, 'b' => 20]);
// One key: 1 when it was pending, 0 when not (or no longer).
var_dump($c->forget('Order', 1, 'a'));
var_dump($c->forget('Order', 1, 'a'));
var_dump($c->forget('Order', 1, 'missing'));
var_dump($c->forget('Order', 3, 'a'));
var_dump($c->pendingAll('Order', 1));
// The whole owner: the number of counters dropped (a counter at 0 included), and the hash is gone.
var_dump($c->forget('Order', '1', null));
var_dump(tally_raw(['EXISTS', $prefix . '{Order:1}']));
var_dump($c->pendingAll('Order', 1));
var_dump($c->forget('Order', 1));
var_dump($c->forget('Order', 3));
// Forgetting the last key also removes the hash.
$c->increment('Order', 4, 'only');
var_dump($c->forget('Order', 4, 'only'));
var_dump(tally_raw(['EXISTS', $prefix . '{Order:4}']));
// The other owner is untouched.
var_dump($c->pendingAll('Order', 2));
var_dump(tally_raw(['HGETALL', $prefix . '{Order:2}']));
var_dump($c->forget('Order', 2));
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
int(1)
int(0)
int(0)
int(0)
array(3) {
  ["b"]=>
  int(2)
  ["c"]=>
  int(3)
  ["d"]=>
  int(0)
}
int(3)
int(0)
array(0) {
}
int(0)
int(0)
int(1)
int(0)
array(2) {
  ["a"]=>
  int(10)
  ["b"]=>
  int(20)
}
array(4) {
  [0]=>
  string(1) "a"
  [1]=>
  string(2) "10"
  [2]=>
  string(1) "b"
  [3]=>
  string(2) "20"
}
int(2)
array(0) {
}
