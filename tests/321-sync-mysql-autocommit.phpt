--TEST--
MySQL: batches run with autocommit off (the first upsert opens each transaction), yet no read after a sync sits in a transaction: a value changed by another session since is seen at once, and every batch is committed when sync() returns
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$redis = tally_redis_child();
$c = new Tally\Counter(tally_opts(['port' => $redis['port']]));
$db = tally_db('mysql', 'mc_321');
$m = tally_mysqli();
$bump = fn (int $n) => $m->query("UPDATE `mc_321` SET `count` = `count` + $n WHERE `owner_type` = 'T' AND `owner_id` = '1' AND `key` = 'k'");

for ($i = 1; $i <= 30; $i++) $c->increment('T', $i, 'k', $i);
echo tally_report($c->sync($db, ['batch_size' => 7])), "\n";
// Seen by another session right away: nothing was left in an open transaction.
var_dump($m->query("SELECT SUM(`count`) FROM `mc_321`")->fetch_row()[0]);
var_dump($c->get($db, 'T', 1, 'k'));
$bump(100);                                      // another session commits a change
var_dump($c->get($db, 'T', 1, 'k'));             // a read in an old snapshot would say 1
var_dump($c->getAll($db, 'T', 1));
$bump(1000);
var_dump($c->getMany($db, 'T', 1, ['k']));
// And back: the next run's batches still commit, also after reads on this connection.
$c->increment('T', 1, 'k', 2);
echo tally_report($c->sync($db)), "\n";
var_dump($m->query("SELECT `count` FROM `mc_321` WHERE `owner_id` = '1'")->fetch_row()[0]);
$bump(10000);
var_dump($c->get($db, 'T', 1, 'k'));
tally_db_drop('mysql', 'mc_321');
?>
--EXPECT--
synced=30 owners=30 batches=5 skipped=0 recovered=0 locked=false incomplete=false errors=[]
string(3) "465"
int(1)
int(101)
array(1) {
  ["k"]=>
  int(101)
}
array(1) {
  ["k"]=>
  int(1101)
}
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
string(4) "1103"
int(11103)
