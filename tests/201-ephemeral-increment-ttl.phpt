--TEST--
incrementKey() sets the TTL only when the key has no expiry (its first increment) and never extends it; ttl 0 sets none
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$c->deleteKeys(['hits', 'plain', 'later', 'down', 'big']);
// First increment with a ttl: the value, and an expiry of at most the ttl.
var_dump($c->incrementKey('hits', 1, 60));
$t = $c->ttl('hits');
var_dump($t >= 1 && $t <= 60);
// The raw key is prefix . name, a plain string counter.
var_dump(tally_raw(['GET', $prefix . 'hits']));
// A later increment with another ttl neither extends nor changes the expiry.
var_dump(tally_raw(['EXPIRE', $prefix . 'hits', 5000]));
var_dump($c->incrementKey('hits', 4, 60));
var_dump($c->incrementKey('hits', 1, 100000));
$t = $c->ttl('hits');
var_dump($t > 4000 && $t <= 5000);
var_dump($c->incrementKey('hits'));
$t = $c->ttl('hits');
var_dump($t > 4000 && $t <= 5000);
// ttl 0 (the default) sets no expiry.
var_dump($c->incrementKey('plain', 3));
var_dump($c->incrementKey('plain', 2, 0));
var_dump($c->ttl('plain'));
// A key that exists without an expiry gets one on its next increment with a ttl > 0.
var_dump($c->incrementKey('plain', 1, 30));
$t = $c->ttl('plain');
var_dump($t >= 1 && $t <= 30);
tally_raw(['SET', $prefix . 'later', '7']);
var_dump($c->incrementKey('later', 1, 45));
$t = $c->ttl('later');
var_dump($t >= 1 && $t <= 45);
// decrementKey() subtracts, with the same ttl rule.
var_dump($c->decrementKey('down', 1, 20));
$t = $c->ttl('down');
var_dump($t >= 1 && $t <= 20);
var_dump($c->decrementKey('down', 5, 9999));
var_dump($c->decrementKey('down', -2));
$t = $c->ttl('down');
var_dump($t >= 1 && $t <= 20);
var_dump(tally_raw(['GET', $prefix . 'down']));
var_dump($c->incrementKey('down', 0));
// The value comes back exact beyond 2^53, with or without a ttl.
var_dump($c->incrementKey('big', 2 ** 53 + 1, 60));
var_dump($c->incrementKey('big', PHP_INT_MAX - 2 ** 53 - 1, 60));
var_dump($c->decrementKey('big', 2, 60));
var_dump($c->incrementKey('big', 0));
var_dump(tally_raw(['GET', $prefix . 'big']));
var_dump($c->deleteKeys(['big']));
var_dump(tally_raw_keys($prefix) === [$prefix . 'down', $prefix . 'hits', $prefix . 'later', $prefix . 'plain']);
var_dump($c->deleteKeys(['hits', 'plain', 'later', 'down']));
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
int(1)
bool(true)
string(1) "1"
int(1)
int(5)
int(6)
bool(true)
int(7)
bool(true)
int(3)
int(5)
int(-1)
int(6)
bool(true)
int(8)
bool(true)
int(-1)
bool(true)
int(-6)
int(-4)
bool(true)
string(2) "-4"
int(-4)
int(9007199254740993)
int(9223372036854775807)
int(9223372036854775805)
int(9223372036854775805)
string(19) "9223372036854775805"
int(1)
bool(true)
int(4)
array(0) {
}
