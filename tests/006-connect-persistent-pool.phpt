--TEST--
Persistent connections with the same settings are shared and reused; non-persistent ones are closed with their object
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$r = tally_redis_start();
// Our own raw connection counts as one client.
$clients = fn () => preg_match('/connected_clients:(\d+)/', tally_raw(['INFO', 'clients'], $r['port']), $m) ? (int) $m[1] - 1 : -1;
$opts = ['port' => $r['port'], 'prefix' => 'p:'];

$a = new Tally\Counter($opts);
$a->increment('T', 1, 'k');
$b = new Tally\Counter(['prefix' => 'other:'] + $opts);   // the prefix is not a connection setting
$b->increment('T', 1, 'k');
echo "two persistent objects: ", $clients(), "\n";
unset($a, $b);
$c = new Tally\Counter($opts);
$c->increment('T', 1, 'k');
echo "after the objects died, a new one reuses it: ", $clients(), "\n";
$d = new Tally\Counter($opts + ['database' => 1]);
$d->increment('T', 1, 'k');
echo "another database, another connection: ", $clients(), "\n";

$e = new Tally\Counter($opts + ['persistent' => false]);
$e->increment('T', 1, 'k');
echo "plus a non-persistent one: ", $clients(), "\n";
unset($e);
echo "after it died: ", $clients(), "\n";
var_dump($c->pending('T', 1, 'k'));
tally_redis_stop($r);
?>
--EXPECT--
two persistent objects: 1
after the objects died, a new one reuses it: 1
another database, another connection: 2
plus a non-persistent one: 3
after it died: 2
int(3)
