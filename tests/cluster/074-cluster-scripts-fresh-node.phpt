--TEST--
A master whose script cache was flushed (a fresh node) answers NOSCRIPT once: the call is retried there with EVAL and runs exactly once
--SKIPIF--
<?php $needs = ['cluster']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$c = new Tally\Counter(tc_opts());
$masters = array_keys(tc_masters());
var_dump($c->incrementMany('App\Team', 1, ['x' => 1]));
// Owners spread over every master, after flushing every master's scripts.
foreach ($masters as $port) {
    var_dump(tc_raw($port, ['SCRIPT', 'FLUSH']));
}
$sum = 0;
for ($i = 1; $i <= 20; $i++) {
    $sum += array_sum($c->incrementMany('App\Team', $i, ['x' => $i, 'y' => 1]));
}
var_dump($sum);
$sum = 0;
for ($i = 1; $i <= 20; $i++) {
    $sum += array_sum($c->pendingAll('App\Team', $i));
}
var_dump($sum);
// One master flushed again: a script routed there (INCR_TTL) still runs once.
var_dump(tc_raw($masters[0], ['SCRIPT', 'FLUSH']));
for ($n = 0; tc_owner(tc_slot($c->getPrefix() . "ttl-$n")) !== $masters[0]; $n++);
var_dump($c->incrementKey("ttl-$n", 4, 60), $c->ttl("ttl-$n") > 50, $c->deleteKeys(["ttl-$n"]));
for ($i = 1; $i <= 20; $i++) {
    $c->forget('App\Team', $i);
}
?>
--EXPECT--
array(1) {
  ["x"]=>
  int(1)
}
string(2) "OK"
string(2) "OK"
string(2) "OK"
int(231)
int(231)
string(2) "OK"
int(4)
bool(true)
int(1)
