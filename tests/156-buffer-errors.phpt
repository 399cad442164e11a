--TEST--
Buffer options are checked (Tally\InvalidArgumentException), a coalesced delta that would overflow is refused with nothing changed, and an increment that fills the buffer throws the failed flush's exception
--SKIPIF--
<?php $needs = ['redis', 'redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
foreach ([['buffer_limit' => 0], ['buffer_limit' => -5], ['buffer_limit' => 1000001], ['buffer_limit' => '10'],
          ['buffer_limit' => null], ['buffer' => 'yes'], ['buffer' => 1]] as $bad) {
    tally_try(fn () => new Tally\Counter(tally_opts($bad)));
}
ini_set('tally.buffer_limit', '0');
tally_try(fn () => new Tally\Counter(tally_opts()));
ini_set('tally.buffer_limit', '-1');
tally_try(fn () => new Tally\Counter(tally_opts(['buffer' => true])));
ini_restore('tally.buffer_limit');

$b = new Tally\Counter(tally_opts(['buffer' => true]));
$b->increment('o', 1, 'k', PHP_INT_MAX - 1);
tally_try(fn () => $b->increment('o', 1, 'k', 2));
tally_try(fn () => $b->incrementMany('o', 1, ['j' => 1, 'k' => 5]));     // all or nothing
var_dump($b->pendingAll('o', 1));
tally_try(fn () => $b->increment('o', 1, '', 1));
tally_try(fn () => $b->incrementMany('o', 1, ['x' => '1']));
$b->forget('o', 1);
var_dump($b->flush());

// The increment that reaches the limit sends the buffer; when that fails, it throws.
$s = tally_redis_start();
$c = new Tally\Counter(['port' => $s['port'], 'prefix' => 'p:', 'buffer' => true, 'buffer_limit' => 2]);
tally_redis_stop($s);
var_dump($c->increment('u', 1, 'a'));
tally_try(fn () => $c->increment('u', 1, 'b', 4));
var_dump($c->flush());
?>
--EXPECTF--
Tally\InvalidArgumentException: option 'buffer_limit' must be between 1 and 1000000, 0 given
Tally\InvalidArgumentException: option 'buffer_limit' must be between 1 and 1000000, -5 given
Tally\InvalidArgumentException: option 'buffer_limit' must be between 1 and 1000000, 1000001 given
Tally\InvalidArgumentException: option 'buffer_limit' must be of type int, string given
Tally\InvalidArgumentException: option 'buffer_limit' must be of type int, null given
Tally\InvalidArgumentException: option 'buffer' must be of type bool, string given
Tally\InvalidArgumentException: option 'buffer' must be of type bool, int given
Tally\InvalidArgumentException: option 'buffer_limit' must be between 1 and 1000000, 0 given
Tally\InvalidArgumentException: option 'buffer_limit' must be between 1 and 1000000, -1 given
Tally\OverflowException: the buffered delta of counter 'k' of o #1 would not fit in 64 bits; nothing changed
Tally\OverflowException: the buffered delta of counter 'k' of o #1 would not fit in 64 bits; nothing changed
array(1) {
  ["k"]=>
  int(9223372036854775806)
}
Tally\InvalidArgumentException: counter key must not be empty
Tally\InvalidArgumentException: amounts must map key names to int deltas; 'x' maps to string
int(0)
int(1)
Tally\ConnectionException: flushing buffered increments failed: cannot connect to Redis at 127.0.0.1:%d: Connection refused; 2 counters were not incremented, their buffered deltas are dropped: 'a' of u #1 (+1), 'b' of u #1 (+4)
int(0)
