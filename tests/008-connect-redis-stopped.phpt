--TEST--
A Redis stopped mid-test gives ConnectionException promptly; once it is back, the same object works again
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$r = tally_redis_start();
$c = new Tally\Counter(['port' => $r['port'], 'prefix' => 'p:', 'connect_timeout' => 0.5, 'read_timeout' => 0.5]);
var_dump($c->increment('T', 1, 'k', 5));
tally_redis_stop($r);
$t = microtime(true);
tally_try(fn () => $c->increment('T', 1, 'k'));
tally_try(fn () => $c->pending('T', 1, 'k'));
tally_try(fn () => $c->incrementKey('e', 1, 60));
var_dump(microtime(true) - $t < 5.0);   // no hang (005 checks the timeouts themselves)
$r = tally_redis_start([], $r['port']);
var_dump($c->increment('T', 1, 'k', 2));    // the server lost its data (no persistence)
tally_redis_stop($r);
?>
--EXPECTF--
int(5)
Tally\ConnectionException: cannot connect to Redis at 127.0.0.1:%d: Connection refused
Tally\ConnectionException: cannot connect to Redis at 127.0.0.1:%d: Connection refused
Tally\ConnectionException: cannot connect to Redis at 127.0.0.1:%d: Connection refused
bool(true)
int(2)
