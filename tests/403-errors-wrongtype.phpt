--TEST--
A key holding another type or a non-integer value makes owner and ephemeral operations throw Tally\WrongTypeException naming the key
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$codes = [];
function wrong(callable $fn): void
{
    global $codes;
    try {
        $v = $fn();
        echo 'returned: ', var_export($v, true), "\n";
    } catch (Throwable $e) {
        // Redis >= 7 appends where in a script an error was raised; that part is not Tally's.
        echo get_class($e), ': ', preg_replace('/ script: \w+, on @user_script:\d+\.$/', '', $e->getMessage()), "\n";
        if (!($e instanceof Tally\ServerException && $e instanceof Tally\Exception && $e instanceof RuntimeException)) {
            echo "  not a Tally\\ServerException, Tally\\Exception and RuntimeException\n";
        }
        $codes[] = $e->getCode();
    }
}
tally_raw(['DEL', $prefix . '{Shop:1}', $prefix . '{Shop:2}', $prefix . 'h', $prefix . 's']);

// The owner's hash key holds a string.
tally_raw(['SET', $prefix . '{Shop:1}', 'not a hash']);
wrong(fn() => $c->increment('Shop', 1, 'sales'));
wrong(fn() => $c->decrement('Shop', 1, 'sales'));
wrong(fn() => $c->pending('Shop', 1, 'sales'));
wrong(fn() => $c->pendingMany('Shop', 1, ['sales', 'views']));
wrong(fn() => $c->pendingAll('Shop', 1));
wrong(fn() => $c->incrementMany('Shop', 1, ['sales' => 1]));
var_dump(tally_raw(['GET', $prefix . '{Shop:1}']));

// A field of the owner's hash holds a non-integer.
tally_raw(['HSET', $prefix . '{Shop:2}', 'sales', 'abc', 'views', '3']);
wrong(fn() => $c->increment('Shop', 2, 'sales'));
wrong(fn() => $c->pending('Shop', 2, 'sales'));
wrong(fn() => $c->pendingAll('Shop', 2));
var_dump($c->pending('Shop', 2, 'views'));
var_dump(tally_raw(['HGET', $prefix . '{Shop:2}', 'sales']));

// An ephemeral key holds a hash.
tally_raw(['HSET', $prefix . 'h', 'f', '1']);
wrong(fn() => $c->incrementKey('h'));
wrong(fn() => $c->incrementKey('h', 1, 60));
wrong(fn() => $c->decrementKey('h'));
wrong(fn() => $c->getKey('h'));
var_dump($c->ttl('h'));

// An ephemeral key holds a non-integer string.
tally_raw(['SET', $prefix . 's', 'abc']);
wrong(fn() => $c->getKey('s'));
wrong(fn() => $c->getKeys(['missing', 's']));
wrong(fn() => $c->incrementKey('s'));
wrong(fn() => $c->incrementKey('s', 1, 60));
var_dump(tally_raw(['GET', $prefix . 's']), $c->ttl('s'));

// Every WrongTypeException carries the same code.
var_dump(count($codes), array_unique($codes));
var_dump(tally_raw(['DEL', $prefix . '{Shop:1}', $prefix . '{Shop:2}', $prefix . 'h', $prefix . 's']));
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
Tally\WrongTypeException: incrementing counter 'sales' of Shop #1: WRONGTYPE Operation against a key holding the wrong kind of value
Tally\WrongTypeException: incrementing counter 'sales' of Shop #1: WRONGTYPE Operation against a key holding the wrong kind of value
Tally\WrongTypeException: reading counter 'sales' of Shop #1: WRONGTYPE Operation against a key holding the wrong kind of value
Tally\WrongTypeException: reading counters of Shop #1: WRONGTYPE Operation against a key holding the wrong kind of value
Tally\WrongTypeException: reading counters of Shop #1: WRONGTYPE Operation against a key holding the wrong kind of value
Tally\WrongTypeException: incrementing counters of Shop #1: WRONGTYPE Operation against a key holding the wrong kind of value
string(10) "not a hash"
Tally\WrongTypeException: incrementing counter 'sales' of Shop #2: ERR hash value is not an integer
Tally\WrongTypeException: reading counter 'sales' of Shop #2: the stored value 'abc' is not an integer
Tally\WrongTypeException: reading counters of Shop #2: the stored value 'abc' is not an integer
int(3)
string(3) "abc"
Tally\WrongTypeException: incrementing ephemeral key 'h': WRONGTYPE Operation against a key holding the wrong kind of value
Tally\WrongTypeException: incrementing ephemeral key 'h': WRONGTYPE Operation against a key holding the wrong kind of value
Tally\WrongTypeException: incrementing ephemeral key 'h': WRONGTYPE Operation against a key holding the wrong kind of value
Tally\WrongTypeException: reading ephemeral key 'h': WRONGTYPE Operation against a key holding the wrong kind of value
int(-1)
Tally\WrongTypeException: reading ephemeral key 's': the stored value 'abc' is not an integer
Tally\WrongTypeException: reading ephemeral key 's': the stored value 'abc' is not an integer
Tally\WrongTypeException: incrementing ephemeral key 's': ERR value is not an integer or out of range
Tally\WrongTypeException: incrementing ephemeral key 's': ERR value is not an integer or out of range
string(3) "abc"
int(-1)
int(17)
array(1) {
  [0]=>
  int(6)
}
int(4)
array(0) {
}
