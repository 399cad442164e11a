--TEST--
getKeys() reports a key of another type as WrongTypeException, like getKey(), instead of MGET's silent nil
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$p = $c->getPrefix();
$c->incrementKey('ok', 5);
tally_raw(['HSET', $p . 'hash', 'f', '1']);
tally_try(fn () => $c->getKeys(['ok', 'hash']));
tally_try(fn () => $c->getKeys(['ok', 'missing']));
// Values beyond 2^53 come back exact through the scripts.
var_dump($c->incrementKey('big', PHP_INT_MAX - 1, 60), $c->getKeys(['big', 'ok'])['big']);
$c->deleteKeys(['ok', 'hash', 'big']);
var_dump(tally_raw_keys($p));
?>
--EXPECTF--
Tally\WrongTypeException: reading ephemeral keys: WRONGTYPE Operation against a key holding the wrong kind of value%A
returned: array (
  'ok' => 5,
  'missing' => 0,
)
int(9223372036854775806)
int(9223372036854775806)
array(0) {
}
