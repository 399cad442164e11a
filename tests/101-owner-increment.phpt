--TEST--
increment() and decrement() change one owner counter by an amount and return the new pending value
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$c->forget('App\Models\Product', 7);
var_dump($c->increment('App\Models\Product', 7, 'downloads'));
var_dump($c->increment('App\Models\Product', 7, 'downloads', 10));
var_dump($c->decrement('App\Models\Product', 7, 'downloads'));
var_dump($c->decrement('App\Models\Product', 7, 'downloads', 15));
var_dump($c->increment('App\Models\Product', 7, 'downloads', -1));
var_dump($c->increment('App\Models\Product', 7, 'downloads', 0));
// An int id and its decimal string name the same owner.
var_dump($c->increment('App\Models\Product', '7', 'downloads', 6));
// Another owner, another key: independent.
var_dump($c->increment('App\Models\Product', 8, 'downloads'));
var_dump($c->increment('App\Models\Product', 7, 'views', 3));
// The Redis layout: one hash per owner, the owner in a hash tag, the key as the field.
$prefix = $c->getPrefix();
var_dump(tally_raw(['HGETALL', $prefix . '{App%5CModels%5CProduct:7}']));
$c->forget('App\Models\Product', 7);
$c->forget('App\Models\Product', 8);
?>
--EXPECT--
int(1)
int(11)
int(10)
int(-5)
int(-6)
int(-6)
int(0)
int(1)
int(3)
array(4) {
  [0]=>
  string(9) "downloads"
  [1]=>
  string(1) "0"
  [2]=>
  string(5) "views"
  [3]=>
  string(1) "3"
}
