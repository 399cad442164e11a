--TEST--
An owner counter's key is at most the SQL key column's 100 bytes whatever max_key_length says, so no counter is accepted that could never sync; ephemeral keys may be as long as max_key_length, and a wider owner key already in Redis can still be read and forgotten
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts(['max_key_length' => 200]));
$prefix = $c->getPrefix();
$c->forget('T', 1);
$wide = str_repeat('k', 101);
var_dump($c->increment('T', 1, str_repeat('k', 100)));
tally_try(fn () => $c->increment('T', 1, $wide));
tally_try(fn () => $c->incrementMany('T', 1, ['ok' => 1, $wide => 2]));
var_dump($c->pendingAll('T', 1) === [str_repeat('k', 100) => 1]);
// Below the column, max_key_length is the limit.
$short = new Tally\Counter(tally_opts(['max_key_length' => 10]));
tally_try(fn () => $short->increment('T', 1, str_repeat('k', 11)));
// Ephemeral keys never reach SQL: max_key_length alone bounds them.
var_dump($c->incrementKey(str_repeat('e', 150), 3));
$c->deleteKeys([str_repeat('e', 150)]);
// A wide key written by an earlier release: readable and forgettable.
tally_raw(['HINCRBY', $prefix . '{T:1}', $wide, '5']);
var_dump($c->pending('T', 1, $wide), $c->forget('T', 1, $wide), $c->forget('T', 1));
?>
--EXPECT--
int(1)
Tally\InvalidArgumentException: counter key is 101 bytes long; owner counters' keys are stored in the 100-byte key column, so 100 bytes is their maximum (max_key_length only applies below it)
Tally\InvalidArgumentException: counter key is 101 bytes long; owner counters' keys are stored in the 100-byte key column, so 100 bytes is their maximum (max_key_length only applies below it)
bool(true)
Tally\InvalidArgumentException: counter key is 11 bytes long; the maximum is 10
int(3)
int(5)
int(1)
int(1)
