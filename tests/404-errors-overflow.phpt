--TEST--
Going past PHP_INT_MAX or PHP_INT_MIN throws Tally\OverflowException and leaves the owner or ephemeral counter unchanged
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
function over(callable $fn): void
{
    try {
        $v = $fn();
        echo 'returned: ', var_export($v, true), "\n";
    } catch (Tally\OverflowException $e) {
        // Redis >= 7 appends where in a script an error was raised; that part is not Tally's.
        echo get_class($e), ': ', preg_replace('/ script: \w+, on @user_script:\d+\.$/', '', $e->getMessage()), "\n";
        var_dump($e instanceof Tally\ServerException, $e->getCode() === 7);
    }
}
$c->forget('Acc', 1);
$c->deleteKeys(['hi', 'lo', 'hit']);

// Owner counters.
var_dump($c->increment('Acc', 1, 'hi', PHP_INT_MAX));
over(fn() => $c->increment('Acc', 1, 'hi'));
over(fn() => $c->increment('Acc', 1, 'hi', PHP_INT_MAX));
over(fn() => $c->decrement('Acc', 1, 'hi', -1));
var_dump($c->pending('Acc', 1, 'hi'));
var_dump($c->increment('Acc', 1, 'lo', PHP_INT_MIN));
over(fn() => $c->decrement('Acc', 1, 'lo'));
over(fn() => $c->increment('Acc', 1, 'lo', -1));
var_dump($c->pending('Acc', 1, 'lo'));
var_dump(tally_raw(['HGETALL', $prefix . '{Acc:1}']));
// Back from the edge works.
var_dump($c->decrement('Acc', 1, 'hi'), $c->increment('Acc', 1, 'lo'));

// Ephemeral counters, with and without a ttl.
var_dump($c->incrementKey('hi', PHP_INT_MAX));
over(fn() => $c->incrementKey('hi'));
over(fn() => $c->incrementKey('hi', 1, 60));
over(fn() => $c->decrementKey('hi', -5));
var_dump($c->getKey('hi'), $c->ttl('hi'));
var_dump($c->decrementKey('lo', PHP_INT_MAX), $c->decrementKey('lo', 1, 60));
over(fn() => $c->decrementKey('lo'));
over(fn() => $c->incrementKey('lo', -1, 60));
var_dump($c->getKey('lo'));
var_dump(tally_raw(['GET', $prefix . 'lo']));
// A key at the edge with its ttl keeps both value and ttl after the overflow.
$c->incrementKey('hit', PHP_INT_MAX, 60);
over(fn() => $c->incrementKey('hit', PHP_INT_MAX, 60));
$t = $c->ttl('hit');
var_dump($t >= 1 && $t <= 60, $c->getKey('hit'));

$c->forget('Acc', 1);
var_dump($c->deleteKeys(['hi', 'lo', 'hit']));
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
int(9223372036854775807)
Tally\OverflowException: incrementing counter 'hi' of Acc #1: ERR increment or decrement would overflow
bool(true)
bool(true)
Tally\OverflowException: incrementing counter 'hi' of Acc #1: ERR increment or decrement would overflow
bool(true)
bool(true)
Tally\OverflowException: incrementing counter 'hi' of Acc #1: ERR increment or decrement would overflow
bool(true)
bool(true)
int(9223372036854775807)
int(-9223372036854775808)
Tally\OverflowException: incrementing counter 'lo' of Acc #1: ERR increment or decrement would overflow
bool(true)
bool(true)
Tally\OverflowException: incrementing counter 'lo' of Acc #1: ERR increment or decrement would overflow
bool(true)
bool(true)
int(-9223372036854775808)
array(4) {
  [0]=>
  string(2) "hi"
  [1]=>
  string(19) "9223372036854775807"
  [2]=>
  string(2) "lo"
  [3]=>
  string(20) "-9223372036854775808"
}
int(9223372036854775806)
int(-9223372036854775807)
int(9223372036854775807)
Tally\OverflowException: incrementing ephemeral key 'hi': ERR increment or decrement would overflow
bool(true)
bool(true)
Tally\OverflowException: incrementing ephemeral key 'hi': ERR increment or decrement would overflow
bool(true)
bool(true)
Tally\OverflowException: incrementing ephemeral key 'hi': ERR increment or decrement would overflow
bool(true)
bool(true)
int(9223372036854775807)
int(-1)
int(-9223372036854775807)
int(-9223372036854775808)
Tally\OverflowException: incrementing ephemeral key 'lo': ERR increment or decrement would overflow
bool(true)
bool(true)
Tally\OverflowException: incrementing ephemeral key 'lo': ERR increment or decrement would overflow
bool(true)
bool(true)
int(-9223372036854775808)
string(20) "-9223372036854775808"
Tally\OverflowException: incrementing ephemeral key 'hit': ERR increment or decrement would overflow
bool(true)
bool(true)
bool(true)
int(9223372036854775807)
int(3)
array(0) {
}
