--TEST--
Bad owners, keys, amounts, key lists and ttls throw Tally\InvalidArgumentException naming the argument, and nothing is written to Redis
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
var_dump(tally_raw_keys($prefix));
// Owners.
tally_try(fn() => $c->increment('', 1, 'k'));
tally_try(fn() => $c->increment('T', '', 'k'));
tally_try(fn() => $c->increment(str_repeat('t', 256), 1, 'k'));
tally_try(fn() => $c->increment('T', str_repeat('9', 256), 'k'));
tally_try(fn() => $c->pending('', 1, 'k'));
tally_try(fn() => $c->pendingAll('T', ''));
tally_try(fn() => $c->forget('', 1));
tally_try(fn() => $c->incrementMany('T', '', []));
// Counter keys: 1 to max_key_length (default 100) bytes.
tally_try(fn() => $c->increment('T', 1, ''));
tally_try(fn() => $c->increment('T', 1, str_repeat('k', 101)));
tally_try(fn() => $c->pending('T', 1, str_repeat('k', 101)));
tally_try(fn() => $c->forget('T', 1, ''));
tally_try(fn() => $c->incrementMany('T', 1, ['ok' => 1, '' => 1]));
tally_try(fn() => $c->pendingMany('T', 1, ['ok', str_repeat('k', 101)]));
$short = new Tally\Counter(tally_opts(['max_key_length' => 10]));
tally_try(fn() => $short->increment('T', 1, str_repeat('k', 11)));
tally_try(fn() => $short->incrementKey(str_repeat('k', 11)));
// Amounts.
tally_try(fn() => $c->decrement('T', 1, 'k', PHP_INT_MIN));
tally_try(fn() => $c->decrementKey('k', PHP_INT_MIN));
tally_try(fn() => $c->incrementMany('T', 1, ['a' => 1, 'b' => '5']));
tally_try(fn() => $c->incrementMany('T', 1, ['a' => 1, 'b' => 1.5]));
tally_try(fn() => $c->incrementMany('T', 1, ['a' => 1, 'b' => null]));
// Key lists hold strings (or ints, the numeric names) only.
tally_try(fn() => $c->pendingMany('T', 1, ['a', []]));
tally_try(fn() => $c->pendingMany('T', 1, [null]));
tally_try(fn() => $c->pendingMany('T', 1, ['a', 'b', 1.5]));
tally_try(fn() => $c->getKeys(['a', []]));
tally_try(fn() => $c->getKeys([null, 'a']));
tally_try(fn() => $c->getKeys(['a', 2.0]));
tally_try(fn() => $c->deleteKeys(['a', null]));
// Ttls: 0 (no expiry) to ten years.
tally_try(fn() => $c->incrementKey('k', 1, -1));
tally_try(fn() => $c->incrementKey('k', 1, 315360001));
tally_try(fn() => $c->decrementKey('k', 1, -60));
// Ephemeral keys: not empty, no brace.
tally_try(fn() => $c->incrementKey('{T:1}'));
tally_try(fn() => $c->incrementKey(''));
tally_try(fn() => $c->incrementKey(str_repeat('k', 101)));
tally_try(fn() => $c->getKey('{x'));
tally_try(fn() => $c->getKeys(['a', '{x']));
tally_try(fn() => $c->deleteKeys(['a', '']));
tally_try(fn() => $c->ttl('{x}'));
// Nothing above was written.
var_dump(tally_raw_keys($prefix));
// The limits themselves are accepted.
var_dump($c->increment(str_repeat('t', 255), str_repeat('9', 255), str_repeat('k', 100)));
var_dump($short->increment('T', 1, str_repeat('k', 10)));
var_dump($c->incrementKey('k', 1, 315360000));
var_dump($c->decrementKey('k', PHP_INT_MAX));
var_dump(count(tally_raw_keys($prefix)));
$c->forget(str_repeat('t', 255), str_repeat('9', 255));
$c->forget('T', 1);
$c->deleteKeys(['k']);
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
array(0) {
}
Tally\InvalidArgumentException: owner type must not be empty (a global counter has an empty owner type AND an empty owner id)
Tally\InvalidArgumentException: owner id must not be empty (a global counter has an empty owner type AND an empty owner id)
Tally\InvalidArgumentException: owner type is 256 bytes long; the maximum is 255
Tally\InvalidArgumentException: owner id is 256 bytes long; the maximum is 255
Tally\InvalidArgumentException: owner type must not be empty (a global counter has an empty owner type AND an empty owner id)
Tally\InvalidArgumentException: owner id must not be empty (a global counter has an empty owner type AND an empty owner id)
Tally\InvalidArgumentException: owner type must not be empty (a global counter has an empty owner type AND an empty owner id)
Tally\InvalidArgumentException: owner id must not be empty (a global counter has an empty owner type AND an empty owner id)
Tally\InvalidArgumentException: counter key must not be empty
Tally\InvalidArgumentException: counter key is 101 bytes long; the maximum is 100
Tally\InvalidArgumentException: counter key is 101 bytes long; the maximum is 100
Tally\InvalidArgumentException: counter key must not be empty
Tally\InvalidArgumentException: counter key must not be empty
Tally\InvalidArgumentException: counter key is 101 bytes long; the maximum is 100
Tally\InvalidArgumentException: counter key is 11 bytes long; the maximum is 10
Tally\InvalidArgumentException: ephemeral key is 11 bytes long; the maximum is 10
Tally\InvalidArgumentException: amount -9223372036854775808 cannot be negated
Tally\InvalidArgumentException: amount -9223372036854775808 cannot be negated
Tally\InvalidArgumentException: amounts must map key names to int deltas; 'b' maps to string
Tally\InvalidArgumentException: amounts must map key names to int deltas; 'b' maps to float
Tally\InvalidArgumentException: amounts must map key names to int deltas; 'b' maps to null
Tally\InvalidArgumentException: keys must hold key names (strings), array found at position 1
Tally\InvalidArgumentException: keys must hold key names (strings), null found at position 0
Tally\InvalidArgumentException: keys must hold key names (strings), float found at position 2
Tally\InvalidArgumentException: keys must hold key names (strings), array found at position 1
Tally\InvalidArgumentException: keys must hold key names (strings), null found at position 0
Tally\InvalidArgumentException: keys must hold key names (strings), float found at position 1
Tally\InvalidArgumentException: keys must hold key names (strings), null found at position 1
Tally\InvalidArgumentException: ttl must be between 0 (no expiry) and 315360000 seconds, -1 given
Tally\InvalidArgumentException: ttl must be between 0 (no expiry) and 315360000 seconds, 315360001 given
Tally\InvalidArgumentException: ttl must be between 0 (no expiry) and 315360000 seconds, -60 given
Tally\InvalidArgumentException: ephemeral key must not contain '{' or '}' (they mark owner counters and Tally's own keys)
Tally\InvalidArgumentException: ephemeral key must not be empty
Tally\InvalidArgumentException: ephemeral key is 101 bytes long; the maximum is 100
Tally\InvalidArgumentException: ephemeral key must not contain '{' or '}' (they mark owner counters and Tally's own keys)
Tally\InvalidArgumentException: ephemeral key must not contain '{' or '}' (they mark owner counters and Tally's own keys)
Tally\InvalidArgumentException: ephemeral key must not be empty
Tally\InvalidArgumentException: ephemeral key must not contain '{' or '}' (they mark owner counters and Tally's own keys)
array(0) {
}
int(1)
int(1)
int(1)
int(-9223372036854775806)
int(3)
array(0) {
}
