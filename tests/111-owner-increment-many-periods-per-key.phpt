--TEST--
incrementMany() with periods per key (key => list): each key feeds its own targets in ONE script, all or nothing across every key and period (an overflow in one key's period undoes the others), buffered too; a key left out feeds its lifetime counter alone; bad maps are typed errors
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$hash = $prefix . '{Post:1}';
$c->forget('Post', 1);
$day = '2026-12-02';
$show = function () use ($c, $day): string {
    $out = [];
    foreach (['views', 'downloads', 'likes'] as $k) {
        $out[] = $k . '=' . implode('/', [
            $c->pending('Post', 1, $k), $c->pending('Post', 1, $k, 'day', $day), $c->pending('Post', 1, $k, 'month', $day),
        ]);
    }
    return implode(' ', $out);
};

var_dump($c->incrementMany('Post', 1, ['views' => 2, 'downloads' => 5, 'likes' => 1],
    ['views' => ['', 'day', 'month'], 'downloads' => ['day']], $day));
echo $show(), "\n";
// One key's period overflows: nothing of any key is applied, fields created by the call are gone.
$c->increment('Post', 1, 'downloads', PHP_INT_MAX - 5, ['month'], $day);
$before = tally_raw(['HGETALL', $hash]);
try {
    $c->incrementMany('Post', 1, ['views' => 1, 'likes' => 3, 'downloads' => 10], ['views' => ['', 'week'], 'downloads' => ['day', 'month'], 'likes' => []], $day);
} catch (Tally\OverflowException $e) {
    echo get_class($e), "\n";
}
var_dump(tally_raw(['HGETALL', $hash]) === $before);
echo $show(), "\n";
$c->forget('Post', 1);

echo "-- buffered\n";
$b = new Tally\Counter(tally_opts(['buffer' => true]));
var_dump($b->incrementMany('Post', 1, ['views' => 2, 'downloads' => 5], ['views' => ['', 'day'], 'downloads' => ['month']], $day));
var_dump($b->flush());
echo $show(), "\n";
$c->forget('Post', 1);

echo "-- results stay exact beyond 2^53 (the script returns small ones as integers, re-reads big ones)\n";
var_dump($c->increment('Post', 1, 'k', PHP_INT_MAX - 7, ['', 'day'], $day), $c->increment('Post', 1, 'k', 3, ['', 'day'], $day));
var_dump($c->increment('Post', 1, 'j', 9007199254740991, ['', 'day'], $day), $c->increment('Post', 1, 'j', 1, ['', 'day'], $day));
var_dump($c->incrementMany('Post', 1, ['k' => -1, 'j' => -9007199254740993], ['', 'day'], $day));
$c->forget('Post', 1);

echo "-- errors\n";
tally_try(fn () => $c->incrementMany('Post', 1, ['views' => 1], ['views' => 'day', 'x' => ['day']]));
tally_try(fn () => $c->incrementMany('Post', 1, ['views' => 1], ['views' => ['fortnight']]));
tally_try(fn () => $c->incrementMany('Post', 1, ['views' => 1], ['views' => ['day', 'day']]));
tally_try(fn () => $c->incrementMany('Post', 1, ['views' => 1], ['views' => ['day']], 'soon'));
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
array(3) {
  ["views"]=>
  int(2)
  ["downloads"]=>
  int(5)
  ["likes"]=>
  int(1)
}
views=2/2/2 downloads=0/5/0 likes=1/0/0
Tally\OverflowException
bool(true)
views=2/2/2 downloads=0/5/9223372036854775802 likes=1/0/0
-- buffered
array(2) {
  ["views"]=>
  int(2)
  ["downloads"]=>
  int(5)
}
int(3)
views=2/2/0 downloads=0/0/5 likes=0/0/0
-- results stay exact beyond 2^53 (the script returns small ones as integers, re-reads big ones)
int(9223372036854775800)
int(9223372036854775803)
int(9007199254740991)
int(9007199254740992)
array(2) {
  ["k"]=>
  int(9223372036854775802)
  ["j"]=>
  int(-1)
}
-- errors
Tally\InvalidArgumentException: periods maps each key to a list of period names; found string
Tally\InvalidArgumentException: each of periods must be null, '' (the lifetime counter), 'day', 'week', 'month', 'quarter' or 'year', got 'fortnight'
Tally\InvalidArgumentException: periods lists 'day' twice
Tally\InvalidArgumentException: at must be a date 'Y-m-d' from 1970-01-01 to 9999-12-31, got 'soon'
array(0) {
}