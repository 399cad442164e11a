--TEST--
incrementMany() throws Tally\OverflowException and changes none of the keys, new ones included, when one key would overflow
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$hash = $prefix . '{Post:1}';
$c->forget('Post', 1);
$c->increment('Post', 1, 'views', 10);
$c->increment('Post', 1, 'likes', -3);
$c->increment('Post', 1, 'big', PHP_INT_MAX - 1);
$c->increment('Post', 1, 'small', PHP_INT_MIN + 1);
$before = tally_raw(['HGETALL', $hash]);

function attempt(Tally\Counter $c, array $amounts): void
{
    try {
        var_dump($c->incrementMany('Post', 1, $amounts));
    } catch (Throwable $e) {
        echo get_class($e), "\n";
        var_dump(str_starts_with($e->getMessage(), 'incrementing counters of Post #1: '));
        var_dump(str_contains($e->getMessage(), 'overflow'));
    }
}

// The overflowing key comes after keys already changed (one of them new) and before others.
attempt($c, ['views' => 1, 'fresh' => 5, 'likes' => 2, 'big' => 2, 'later' => 1]);
var_dump(tally_raw(['HGETALL', $hash]) === $before);
var_dump(tally_raw(['HEXISTS', $hash, 'fresh']), tally_raw(['HEXISTS', $hash, 'later']));
// Downwards past PHP_INT_MIN.
attempt($c, ['fresh' => 1, 'views' => -4, 'small' => -2]);
var_dump(tally_raw(['HGETALL', $hash]) === $before);
var_dump(tally_raw(['HEXISTS', $hash, 'fresh']));
// The first key overflows.
attempt($c, ['big' => PHP_INT_MAX, 'views' => 1, 'fresh' => 1]);
var_dump(tally_raw(['HGETALL', $hash]) === $before);
var_dump(tally_raw(['HEXISTS', $hash, 'fresh']));
// Keys before the overflowing one with a zero delta (a field created at 0) and with
// PHP_INT_MIN (undone in two steps): the undo negates each key's own delta.
attempt($c, ['zero' => 0, 'fresh' => PHP_INT_MIN, 'views' => -7, 'big' => 2]);
var_dump(tally_raw(['HGETALL', $hash]) === $before);
var_dump(tally_raw(['HEXISTS', $hash, 'zero']), tally_raw(['HEXISTS', $hash, 'fresh']));
var_dump($c->pendingAll('Post', 1));
// Exactly reaching the limits is not an overflow.
$c->incrementMany('Post', 1, ['big' => 1, 'small' => -1, 'fresh' => 1]);
var_dump(tally_raw(['HMGET', $hash, 'big', 'small', 'fresh']));

$c->forget('Post', 1);
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
Tally\OverflowException
bool(true)
bool(true)
bool(true)
int(0)
int(0)
Tally\OverflowException
bool(true)
bool(true)
bool(true)
int(0)
Tally\OverflowException
bool(true)
bool(true)
bool(true)
int(0)
Tally\OverflowException
bool(true)
bool(true)
bool(true)
int(0)
int(0)
array(4) {
  ["views"]=>
  int(10)
  ["likes"]=>
  int(-3)
  ["big"]=>
  int(9223372036854775806)
  ["small"]=>
  int(-9223372036854775807)
}
array(3) {
  [0]=>
  string(19) "9223372036854775807"
  [1]=>
  string(20) "-9223372036854775808"
  [2]=>
  string(1) "1"
}
array(0) {
}
