--TEST--
Pooled connections are shared only by equal settings: a '|' inside the socket path or the username cannot make two different socket/user pairs look alike
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$dir = sys_get_temp_dir() . '/tally-030-' . getmypid();
@mkdir($dir);
$r = tally_redis_start(['--unixsocket', "$dir/r.sock", '--unixsocketperm', '700']);
$a = new Tally\Counter(['socket' => "$dir/r.sock", 'username' => 'b|c', 'persistent' => true, 'prefix' => 'p:']);
var_dump($a->increment('T', 1, 'k', 5));
// Joined with '|', socket "<dir>/r.sock|b" + user "c" read like socket "<dir>/r.sock" + user "b|c".
tally_try(fn () => (new Tally\Counter(['socket' => "$dir/r.sock|b", 'username' => 'c', 'persistent' => true,
    'prefix' => 'p:']))->increment('T', 1, 'k', 1));
// Equal settings still share.
$b = new Tally\Counter(['socket' => "$dir/r.sock", 'username' => 'b|c', 'persistent' => true, 'prefix' => 'p:']);
var_dump($b->increment('T', 1, 'k', 2));
var_dump(tally_raw(['CLIENT', 'LIST'], $r['port']) !== null, substr_count(tally_raw(['CLIENT', 'LIST'], $r['port']), "\n"));
tally_redis_stop($r);
exec('rm -rf ' . escapeshellarg($dir));
?>
--EXPECTF--
int(5)
Tally\ConnectionException: cannot connect to Redis at %s/r.sock|b: No such file or directory
int(7)
bool(true)
int(2)
