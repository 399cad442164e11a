--TEST--
A unix socket and a database number are honoured, and connections differing in them are not shared
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$dir = sys_get_temp_dir() . '/tally-003-' . getmypid();
@mkdir($dir);
$r = tally_redis_start(['--unixsocket', "$dir/redis.sock", '--unixsocketperm', '700']);
$viaSocket = new Tally\Counter(['socket' => "$dir/redis.sock", 'host' => 'ignored.invalid', 'prefix' => 'p:']);
$db3 = new Tally\Counter(['port' => $r['port'], 'database' => 3, 'prefix' => 'p:']);
$db0 = new Tally\Counter(['port' => $r['port'], 'prefix' => 'p:']);
var_dump($viaSocket->increment('T', 1, 'k', 5));
var_dump($db3->increment('T', 1, 'k', 7));
var_dump($db0->pending('T', 1, 'k'), $db3->pending('T', 1, 'k'));
var_dump(tally_raw(['HGET', 'p:{T:1}', 'k'], $r['port'], [['SELECT', '3']]));
tally_try(fn () => new Tally\Counter(['port' => $r['port'], 'database' => 99999]));
tally_try(fn () => new Tally\Counter(['socket' => "$dir/missing.sock"]));
tally_redis_stop($r);
exec('rm -rf ' . escapeshellarg($dir));
?>
--EXPECTF--
int(5)
int(7)
int(5)
int(7)
string(1) "7"
Tally\ServerException: Redis at 127.0.0.1:%d refused SELECT 99999: ERR DB index is out of range
Tally\ConnectionException: cannot connect to Redis at %smissing.sock: No such file or directory
