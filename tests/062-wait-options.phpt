--TEST--
wait_replicas and wait_timeout are type- and range-checked, and wait_timeout must be below read_timeout when waiting is on; the tally.wait_* ini settings are their defaults and bad ini values are refused
--SKIPIF--
<?php $needs = []; require __DIR__ . '/inc/skipif.inc'; ?>
--INI--
tally.wait_replicas=0
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$o = ['host' => '127.0.0.1', 'port' => 1, 'lazy' => true, 'persistent' => false];
tally_try(fn () => new Tally\Counter($o + ['wait_replicas' => -1]));
tally_try(fn () => new Tally\Counter($o + ['wait_replicas' => '1']));
tally_try(fn () => new Tally\Counter($o + ['wait_replicas' => 1.0]));
tally_try(fn () => new Tally\Counter($o + ['wait_replicas' => 1001]));
tally_try(fn () => new Tally\Counter($o + ['wait_replicas' => 1, 'wait_timeout' => 0]));
tally_try(fn () => new Tally\Counter($o + ['wait_replicas' => 1, 'wait_timeout' => -0.5]));
tally_try(fn () => new Tally\Counter($o + ['wait_replicas' => 1, 'wait_timeout' => 'soon']));
tally_try(fn () => new Tally\Counter($o + ['wait_replicas' => 1, 'wait_timeout' => 1.0, 'read_timeout' => 1.0]));
tally_try(fn () => new Tally\Counter($o + ['wait_replicas' => 1, 'wait_timeout' => 2, 'read_timeout' => 1.5]));
// Defaults: off, 1.0 s (so the default read_timeout of 1.0 s is fine while off).
tally_try(fn () => (new Tally\Counter($o)) instanceof Tally\Counter);
tally_try(fn () => (new Tally\Counter($o + ['wait_replicas' => 1, 'read_timeout' => 1.5])) instanceof Tally\Counter);
tally_try(fn () => (new Tally\Counter($o + ['wait_replicas' => 2, 'wait_timeout' => 0.25])) instanceof Tally\Counter);
var_dump(ini_get('tally.wait_replicas'), ini_get('tally.wait_timeout'));
// ini: the same rules; a refused value keeps the old one.
var_dump(ini_set('tally.wait_replicas', '-1'), ini_set('tally.wait_replicas', 'two'), ini_set('tally.wait_timeout', '0'));
var_dump(ini_set('tally.wait_replicas', '1'), ini_get('tally.wait_replicas'));
tally_try(fn () => new Tally\Counter($o));
var_dump(ini_set('tally.wait_timeout', '0.5'));
tally_try(fn () => (new Tally\Counter($o)) instanceof Tally\Counter);
var_dump(is_subclass_of('Tally\ReplicationException', 'Tally\ConnectionException'));
?>
--EXPECT--
Tally\InvalidArgumentException: option 'wait_replicas' must be between 0 and 1000, -1 given
Tally\InvalidArgumentException: option 'wait_replicas' must be of type int, string given
Tally\InvalidArgumentException: option 'wait_replicas' must be of type int, float given
Tally\InvalidArgumentException: option 'wait_replicas' must be between 0 and 1000, 1001 given
Tally\InvalidArgumentException: option 'wait_timeout' must be a number of seconds above 0 and at most 3600, 0 given
Tally\InvalidArgumentException: option 'wait_timeout' must be a number of seconds above 0 and at most 3600, -0.5 given
Tally\InvalidArgumentException: option 'wait_timeout' must be of type float, string given
Tally\InvalidArgumentException: option 'wait_timeout' (1 s) must be below 'read_timeout' (1 s): WAIT holds the reply for up to wait_timeout
Tally\InvalidArgumentException: option 'wait_timeout' (2 s) must be below 'read_timeout' (1.5 s): WAIT holds the reply for up to wait_timeout
returned: true
returned: true
returned: true
string(1) "0"
string(3) "1.0"
bool(false)
bool(false)
bool(false)
string(1) "0"
string(1) "1"
Tally\InvalidArgumentException: option 'wait_timeout' (1 s) must be below 'read_timeout' (1 s): WAIT holds the reply for up to wait_timeout
string(3) "1.0"
returned: true
bool(true)
