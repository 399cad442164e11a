--TEST--
getKey() and getKeys() read ephemeral counters (0 when missing, in the order asked), deleteKeys() returns how many existed, ttl() is -2 for a missing key
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$c->deleteKeys(['a', 'b', 'c', '99', 'missing']);
$c->incrementKey('a', 5);
$c->incrementKey('b', -3, 600);
$c->incrementKey('99', 12);
var_dump($c->getKey('a'), $c->getKey('b'), $c->getKey('99'), $c->getKey('missing'));
// The order asked, 0 for a missing key; the name '99' comes back as the int key 99.
var_dump($c->getKeys(['missing', 'b', '99', 'a']));
var_dump($c->getKeys(['a']));
var_dump($c->getKeys([]));
// ttl(): -2 when missing, -1 without expiry.
var_dump($c->ttl('missing'), $c->ttl('a'));
// deleteKeys() counts only the keys that existed.
var_dump($c->deleteKeys(['a', 'missing', 'b']));
var_dump($c->deleteKeys(['a', 'b']));
var_dump($c->deleteKeys([]));
var_dump($c->getKey('a'), $c->ttl('b'));
var_dump(tally_raw_keys($prefix) === [$prefix . '99']);
var_dump($c->deleteKeys([99]));
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
int(5)
int(-3)
int(12)
int(0)
array(4) {
  ["missing"]=>
  int(0)
  ["b"]=>
  int(-3)
  [99]=>
  int(12)
  ["a"]=>
  int(5)
}
array(1) {
  ["a"]=>
  int(5)
}
array(0) {
}
int(-2)
int(-1)
int(2)
int(0)
int(0)
int(0)
int(-2)
bool(true)
int(1)
array(0) {
}
