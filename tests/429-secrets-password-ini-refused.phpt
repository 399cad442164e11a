--TEST--
tally.password (an earlier release's ini setting) is refused with a warning naming tally.password_env, and its value is never stored where ini_get_all() could show it
--SKIPIF--
<?php if (!extension_loaded('tally')) die('skip tally not loaded'); ?>
--FILE--
<?php
var_dump(ini_set('tally.password', 's3cret'));
var_dump(ini_get('tally.password'));
var_dump(ini_get_all('tally')['tally.password']['local_value']);
var_dump(str_contains(print_r(ini_get_all('tally'), true), 's3cret'));
var_dump(ini_set('tally.password', ''));
?>
--EXPECTF--
Warning: ini_set(): tally.password is not read (ini_get_all() would show it to anyone): put the Redis password in an environment variable and set tally.password_env to its name in %s on line %d
bool(false)
string(0) ""
string(0) ""
bool(false)
string(0) ""
