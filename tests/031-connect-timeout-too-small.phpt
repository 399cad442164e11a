--TEST--
A timeout above 0 but below one microsecond (too small for the socket to express, which made it "no timeout") is refused, as option and as ini setting; one microsecond times out at once against a Redis that never answers
--SKIPIF--
<?php $needs = []; require __DIR__ . '/inc/skipif.inc'; ?>
--INI--
tally.connect_timeout=1e-9
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
// Refused at startup too: the default stays.
var_dump(ini_get('tally.connect_timeout'));
// Accepts (the kernel does, from the backlog) and never answers.
$silent = stream_socket_server('tcp://127.0.0.1:0');
$name = stream_socket_get_name($silent, false);
$port = (int) substr($name, strrpos($name, ':') + 1);
$opts = ['port' => $port, 'persistent' => false];

tally_try(fn () => new Tally\Counter($opts + ['read_timeout' => 1e-7]));
tally_try(fn () => new Tally\Counter($opts + ['connect_timeout' => 0.0000009]));
tally_try(fn () => new Tally\Database(['driver' => 'sqlite', 'path' => ':memory:', 'busy_timeout' => 1e-9]));

$c = new Tally\Counter($opts + ['read_timeout' => 0.000001]);
$t = microtime(true);
tally_try(fn () => $c->increment('T', 1, 'k'));
var_dump(microtime(true) - $t < 1.0);

// ini: a value too small, zero, negative or not a number is refused and the old one kept.
foreach (['1e-7', '0', '-1', 'abc', '3601'] as $v) {
    var_dump(ini_set('tally.read_timeout', $v), ini_get('tally.read_timeout'));
}
var_dump(ini_set('tally.connect_timeout', '0.0000001'), ini_get('tally.connect_timeout'));
var_dump(ini_set('tally.read_timeout', '0.2'), ini_get('tally.read_timeout'));
$c = new Tally\Counter($opts);
$t = microtime(true);
tally_try(fn () => $c->increment('T', 1, 'k'));
$elapsed = microtime(true) - $t;
var_dump($elapsed >= 0.15 && $elapsed < 1.0);
?>
--EXPECTF--
string(3) "1.0"
Tally\InvalidArgumentException: option 'read_timeout' must be at least 0.000001 seconds (one microsecond: a smaller timeout would mean none), 1.0e-7 given
Tally\InvalidArgumentException: option 'connect_timeout' must be at least 0.000001 seconds (one microsecond: a smaller timeout would mean none), 9.0e-7 given
Tally\InvalidArgumentException: option 'busy_timeout' must be at least 0.000001 seconds (one microsecond: a smaller timeout would mean none), 1.0e-9 given
Tally\ConnectionException: Redis at 127.0.0.1:%d did not answer HINCRBY within 1e-06 s (read_timeout)
bool(true)
bool(false)
string(3) "1.0"
bool(false)
string(3) "1.0"
bool(false)
string(3) "1.0"
bool(false)
string(3) "1.0"
bool(false)
string(3) "1.0"
bool(false)
string(3) "1.0"
string(3) "1.0"
string(3) "0.2"
Tally\ConnectionException: Redis at 127.0.0.1:%d did not answer HINCRBY within 0.2 s (read_timeout)
bool(true)
