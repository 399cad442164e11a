--TEST--
Buffered increments coalesce per counter in process memory, reach Redis only on flush() (one HINCRBY per counter, zero deltas not sent), and objects on one connection and prefix share the buffer
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$r = tally_redis_start();          // a private server: its command statistics are ours alone
$port = $r['port'];
$opts = tally_opts(['port' => $port]);
$b = new Tally\Counter($opts + ['buffer' => true]);
$direct = new Tally\Counter($opts);
$direct->forget('user', 1);
$direct->forget('user', 2);
$hash = $opts['prefix'] . '{user:1}';

// The result of a buffered increment is the counter's buffered delta.
var_dump($b->increment('user', 1, 'views'), $b->increment('user', 1, 'views', 4), $b->decrement('user', 1, 'likes', 2));
var_dump($b->incrementMany('user', 2, ['a' => 1, 'b' => 2]), $b->incrementMany('user', 2, ['a' => 10]));
$b->increment('user', 1, 'zero', 3);
$b->decrement('user', 1, 'zero', 3);                 // coalesces to 0: nothing to send
// A second buffered object on the same connection and prefix adds to the same buffer.
$b2 = new Tally\Counter($opts + ['buffer' => true]);
var_dump($b2->increment('user', 1, 'views', 100));
// Nothing is in Redis yet.
var_dump(tally_raw(['EXISTS', $hash], $port), $direct->pendingAll('user', 2));

tally_raw(['CONFIG', 'RESETSTAT'], $port);
var_dump($b->flush());                               // views, likes, a, b: 4 counters
$stats = tally_raw(['INFO', 'commandstats'], $port);
preg_match('/cmdstat_hincrby:calls=(\d+)/', $stats, $m);
echo "HINCRBY calls: {$m[1]}\n";
var_dump(tally_raw(['HGETALL', $hash], $port), $direct->pendingAll('user', 2));
var_dump($b->flush(), $b2->flush());                 // empty now, for both objects

// Another prefix is another buffer; an unbuffered object's flush() is 0.
$other = new Tally\Counter(['prefix' => $opts['prefix'] . 'other:', 'buffer' => true] + $opts);
$other->increment('user', 1, 'views');
var_dump($b->flush(), $direct->flush(), $other->flush(), tally_raw(['HGET', $opts['prefix'] . 'other:{user:1}', 'views'], $port));
tally_redis_stop($r);
?>
--EXPECT--
int(1)
int(5)
int(-2)
array(2) {
  ["a"]=>
  int(1)
  ["b"]=>
  int(2)
}
array(1) {
  ["a"]=>
  int(11)
}
int(105)
int(0)
array(0) {
}
int(4)
HINCRBY calls: 4
array(4) {
  [0]=>
  string(5) "views"
  [1]=>
  string(3) "105"
  [2]=>
  string(5) "likes"
  [3]=>
  string(2) "-2"
}
array(2) {
  ["a"]=>
  int(11)
  ["b"]=>
  int(2)
}
int(0)
int(0)
int(0)
int(0)
int(1)
string(1) "1"
