--TEST--
An amount that is not an int (a float, even 2.0, a numeric string, a bool or null) throws Tally\InvalidArgumentException naming its type in every mode, and nothing is written
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$c->forget('T', 425);
$c->deleteKeys(['k425']);
foreach ([1.5, 2.0, '3', true, null] as $amount) {
    tally_try(fn () => $c->increment('T', 425, 'a', $amount));
    tally_try(fn () => $c->decrement('T', 425, 'a', $amount));
    tally_try(fn () => $c->incrementKey('k425', $amount));
    tally_try(fn () => $c->decrementKey('k425', $amount, 60));
}
var_dump($c->pendingAll('T', 425), $c->getKey('k425'));
// An int, and the default, still count.
var_dump($c->increment('T', 425, 'a', 2), $c->increment('T', 425, 'a'), $c->decrementKey('k425', 4));
$c->forget('T', 425);
$c->deleteKeys(['k425']);
?>
--EXPECT--
Tally\InvalidArgumentException: amount must be an int, float given
Tally\InvalidArgumentException: amount must be an int, float given
Tally\InvalidArgumentException: amount must be an int, float given
Tally\InvalidArgumentException: amount must be an int, float given
Tally\InvalidArgumentException: amount must be an int, float given
Tally\InvalidArgumentException: amount must be an int, float given
Tally\InvalidArgumentException: amount must be an int, float given
Tally\InvalidArgumentException: amount must be an int, float given
Tally\InvalidArgumentException: amount must be an int, string given
Tally\InvalidArgumentException: amount must be an int, string given
Tally\InvalidArgumentException: amount must be an int, string given
Tally\InvalidArgumentException: amount must be an int, string given
Tally\InvalidArgumentException: amount must be an int, bool given
Tally\InvalidArgumentException: amount must be an int, bool given
Tally\InvalidArgumentException: amount must be an int, bool given
Tally\InvalidArgumentException: amount must be an int, bool given
Tally\InvalidArgumentException: amount must be an int, null given
Tally\InvalidArgumentException: amount must be an int, null given
Tally\InvalidArgumentException: amount must be an int, null given
Tally\InvalidArgumentException: amount must be an int, null given
array(0) {
}
int(0)
int(2)
int(3)
int(-4)
