--TEST--
forget() also drops what a sync set aside for the counter (<prefix>{T:I}:f, which reads count as pending): one key, or every counter of the owner counted once however many hashes held it
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$p = $c->getPrefix();
$c->forget('T', 1);
// As a sync leaves them: 'a' set aside, 'b' pending and set aside, 'c' pending only.
tally_raw(['HSET', $p . '{T:1}:f', 'a', '5', 'b', '6']);
$c->increment('T', 1, 'b', 1);
$c->increment('T', 1, 'c', 2);
var_dump($c->forget('T', 1, 'a'));
var_dump(tally_raw(['HEXISTS', $p . '{T:1}:f', 'a']));
var_dump($c->forget('T', 1, 'a'));
var_dump($c->forget('T', 1));
var_dump(tally_raw_keys($p));
?>
--EXPECT--
int(1)
int(0)
int(0)
int(2)
array(0) {
}
