--TEST--
new Tally\Counter() with no options connects with the tally.* ini settings
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--INI--
tally.prefix=tt:002:
tally.max_key_length=5
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
ini_set('tally.host', getenv('TALLY_TEST_REDIS_HOST') ?: '127.0.0.1');
ini_set('tally.port', getenv('TALLY_TEST_REDIS_PORT'));
$c = new Tally\Counter();
var_dump($c->getPrefix());
var_dump($c->increment('T', 1, 'abcde'));
tally_try(fn () => $c->increment('T', 1, 'abcdef'));
var_dump(tally_raw_keys('tt:002:'));
// Options win over ini settings.
$d = new Tally\Counter(['prefix' => 'tt:002b:', 'max_key_length' => 6]);
var_dump($d->increment('T', 1, 'abcdef'));
$c->forget('T', 1);
$d->forget('T', 1);
?>
--EXPECT--
string(7) "tt:002:"
int(1)
Tally\InvalidArgumentException: counter key is 6 bytes long; the maximum is 5
array(1) {
  [0]=>
  string(12) "tt:002:{T:1}"
}
int(1)
