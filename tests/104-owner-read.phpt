--TEST--
pending(), pendingMany() and pendingAll() read an owner's pending deltas, with 0 for missing keys and [] for an unknown owner
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$c->forget('User', 9);
$c->forget('User', 10);
$c->increment('User', 9, 'logins', 4);
$c->increment('User', 9, 'posts', -2);
$c->increment('User', 9, '2024', 7);
$c->increment('User', 9, 'zero', 5);
$c->decrement('User', 9, 'zero', 5);
// pending(): the value, 0 for a missing key, 0 for an unknown owner; an int id and its string are one owner.
var_dump($c->pending('User', 9, 'logins'));
var_dump($c->pending('User', '9', 'posts'));
var_dump($c->pending('User', 9, 'zero'));
var_dump($c->pending('User', 9, 'missing'));
var_dump($c->pending('User', 10, 'logins'));
// pendingMany(): in the order asked, 0 for missing keys; '2024' comes back as the int key 2024.
var_dump($c->pendingMany('User', 9, ['posts', 'missing', 2024, 'logins', 'zero']));
var_dump($c->pendingMany('User', 10, ['logins', 'posts']));
var_dump($c->pendingMany('User', 9, []));
// pendingAll(): every pending key of the owner (a key at 0 is still pending), [] for an unknown owner.
var_dump($c->pendingAll('User', 9));
var_dump($c->pendingAll('User', 10));
// Reading never creates anything.
var_dump(tally_raw(['EXISTS', $prefix . '{User:10}']));
$c->forget('User', 9);
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
int(4)
int(-2)
int(0)
int(0)
int(0)
array(5) {
  ["posts"]=>
  int(-2)
  ["missing"]=>
  int(0)
  [2024]=>
  int(7)
  ["logins"]=>
  int(4)
  ["zero"]=>
  int(0)
}
array(2) {
  ["logins"]=>
  int(0)
  ["posts"]=>
  int(0)
}
array(0) {
}
array(4) {
  ["logins"]=>
  int(4)
  ["posts"]=>
  int(-2)
  [2024]=>
  int(7)
  ["zero"]=>
  int(0)
}
array(0) {
}
int(0)
array(0) {
}
