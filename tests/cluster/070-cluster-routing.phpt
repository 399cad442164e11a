--TEST--
On a Redis Cluster, owner counters, incrementMany, ephemeral keys, getKeys/deleteKeys, rate limits and buffered increments land on their slot's master and read back exact
--SKIPIF--
<?php $needs = ['cluster']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$c = new Tally\Counter(tc_opts());
$p = $c->getPrefix();
for ($i = 1; $i <= 60; $i++) {
    $c->increment('App\User', $i, 'views', $i);
}
$sum = 0;
for ($i = 1; $i <= 60; $i++) {
    $sum += $c->pending('App\User', $i, 'views');
}
var_dump($sum);
// Every master holds some owners, and each owner hash is on its slot's master.
$masters = tc_masters();
var_dump(count($masters));
$ok = true;
$seen = 0;
foreach (array_keys($masters) as $port) {
    $keys = tc_keys($port, $p);
    $ok = $ok && count($keys) > 0;
    foreach ($keys as $k) {
        $ok = $ok && tc_owner(tc_slot($k)) === $port;
        $seen++;
    }
}
var_dump($ok, $seen);

var_dump($c->incrementMany('App\Post', 9, ['likes' => 2, 'shares' => 3]));
var_dump($c->pendingMany('App\Post', 9, ['likes', 'shares', 'none']));
var_dump($c->pendingAll('App\Post', 9));

// Ephemeral keys: 30 names over many slots, read and deleted in one call each.
$names = [];
for ($i = 0; $i < 30; $i++) {
    $names[] = "page:$i";
    $c->incrementKey("page:$i", $i + 1, 3600);
}
var_dump(array_sum($c->getKeys($names)));
var_dump($c->getKeys(['page:0', 'page:29', 'missing']));
var_dump($c->ttl('page:3') > 3500);
var_dump($c->deleteKeys(array_merge($names, ['missing'])));
var_dump(array_sum($c->getKeys($names)));

// Rate limits (two keys of their own, in different slots: reset deletes both).
$r1 = $c->rateLimit('login', 2, 60);
$r2 = $c->rateLimit('login', 2, 60);
$r3 = $c->rateLimit('login', 2, 60);
var_dump([$r1['allowed'], $r2['allowed'], $r3['allowed'], $r3['remaining']]);
$s = $c->rateLimit('api', 1, 60, ['sliding' => true]);
var_dump($s['allowed'], $c->rateLimit('api', 1, 60, ['sliding' => true])['allowed']);
var_dump($c->resetRateLimit('login'), $c->rateLimit('login', 2, 60)['allowed']);
$c->resetRateLimit('api');

// Buffered increments: one flush over every master.
$b = new Tally\Counter(tc_opts(['buffer' => true]));
for ($i = 1; $i <= 60; $i++) {
    $b->increment('App\User', $i, 'views', 1);
}
var_dump($b->flush());
$sum = 0;
for ($i = 1; $i <= 60; $i++) {
    $sum += $c->pending('App\User', $i, 'views');
}
var_dump($sum);
// With periods: each owner's counters go as one script, on its own master.
for ($i = 1; $i <= 60; $i++) {
    $b->increment('App\User', $i, 'views', 2, ['', 'day'], '2026-12-02');
}
var_dump($b->flush());
$sum = 0;
for ($i = 1; $i <= 60; $i++) {
    $sum += $c->pending('App\User', $i, 'views') + $c->pending('App\User', $i, 'views', 'day', '2026-12-02');
}
var_dump($sum);

for ($i = 1; $i <= 60; $i++) {
    $c->forget('App\User', $i);
}
$c->forget('App\Post', 9);
$c->resetRateLimit('login');
$left = 0;
foreach (array_keys($masters) as $port) {
    $left += count(tc_keys($port, $p));
}
var_dump($left);
?>
--EXPECT--
int(1830)
int(3)
bool(true)
int(60)
array(2) {
  ["likes"]=>
  int(2)
  ["shares"]=>
  int(3)
}
array(3) {
  ["likes"]=>
  int(2)
  ["shares"]=>
  int(3)
  ["none"]=>
  int(0)
}
array(2) {
  ["likes"]=>
  int(2)
  ["shares"]=>
  int(3)
}
int(465)
array(3) {
  ["page:0"]=>
  int(1)
  ["page:29"]=>
  int(30)
  ["missing"]=>
  int(0)
}
bool(true)
int(30)
int(0)
array(4) {
  [0]=>
  bool(true)
  [1]=>
  bool(true)
  [2]=>
  bool(false)
  [3]=>
  int(0)
}
bool(true)
bool(false)
bool(true)
bool(true)
int(60)
int(1890)
int(120)
int(2130)
int(0)
