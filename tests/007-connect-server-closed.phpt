--TEST--
A pooled connection that the server closed is reopened transparently before the next command
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$r = tally_redis_start();
$c = new Tally\Counter(['port' => $r['port'], 'prefix' => 'p:']);
var_dump($c->increment('T', 1, 'k'));
// The server drops every client but the one asking (idle-timeout, failover, CLIENT KILL...).
var_dump(tally_raw(['CLIENT', 'KILL', 'TYPE', 'normal'], $r['port']));
usleep(50000);
var_dump($c->increment('T', 1, 'k'));
var_dump(tally_raw(['CLIENT', 'KILL', 'TYPE', 'normal'], $r['port']));
usleep(50000);
var_dump($c->pendingAll('T', 1));
tally_redis_stop($r);
?>
--EXPECT--
int(1)
int(1)
int(2)
int(1)
array(1) {
  ["k"]=>
  int(2)
}
