--TEST--
phpinfo shows the extension version, the hiredis version and the ini settings; the password is no ini setting, only the name of its environment variable is
--SKIPIF--
<?php if (!extension_loaded('tally')) die('skip tally not loaded'); ?>
--INI--
tally.password_env=TALLY_001_PASSWORD
tally.prefix=myapp:
--FILE--
<?php
ob_start();
(new ReflectionExtension('tally'))->info();
$info = ob_get_clean();
var_dump(phpversion('tally'));
var_dump(preg_match('/^Version => ' . preg_quote(phpversion('tally')) . '$/m', $info));
var_dump(preg_match('/^hiredis version => \d+\.\d+\.\d+( \(hiredict\))?$/m', $info));
var_dump(preg_match('/^tally\.password_env => TALLY_001_PASSWORD => TALLY_001_PASSWORD$/m', $info));
var_dump(preg_match('/^tally\.password => no value => no value$/m', $info));
foreach (['host', 'port', 'socket', 'username', 'database', 'connect_timeout', 'read_timeout', 'prefix', 'persistent', 'max_key_length'] as $k) {
    echo $k, ': ', preg_match('/^tally\.' . $k . ' => .* => .*$/m', $info, $m) ? $m[0] : 'missing', "\n";
}
?>
--EXPECT--
string(5) "0.1.0"
int(1)
int(1)
int(1)
int(1)
host: tally.host => 127.0.0.1 => 127.0.0.1
port: tally.port => 6379 => 6379
socket: tally.socket => no value => no value
username: tally.username => no value => no value
database: tally.database => 0 => 0
connect_timeout: tally.connect_timeout => 1.0 => 1.0
read_timeout: tally.read_timeout => 1.0 => 1.0
prefix: tally.prefix => myapp: => myapp:
persistent: tally.persistent => On => On
max_key_length: tally.max_key_length => 100 => 100
