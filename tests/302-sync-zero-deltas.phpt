--TEST--
Zero pending deltas are counted as skipped and never written: no SQL row is created or touched for them, and their Redis keys are removed
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
// A private Redis: this test's keys alone, whatever else the shared one holds.
$redis = tally_redis_child();
$port = $redis['port'];
$c = new Tally\Counter(tally_opts(['port' => $port]));
$prefix = $c->getPrefix();
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_302');
    $seqs = fn () => tally_sql($driver, 'mc_302', "SELECT sync_seq FROM mc_302 WHERE owner_id = 'B' AND `key` = 'x'");
    // B/x gets a stored row first.
    $c->increment('T', 'B', 'x', 4);
    echo tally_report($c->sync($db)), "\n";
    $before = $seqs();
    // A: only zero deltas (up and down again, and a 0 increment). B: zero on a stored row.
    // C: one real delta, one zero.
    $c->increment('T', 'A', 'a', 5);
    $c->decrement('T', 'A', 'a', 5);
    $c->increment('T', 'A', 'b', 0);
    $c->increment('T', 'B', 'x', 0);
    $c->incrementMany('T', 'C', ['y' => 2, 'z' => 0]);
    var_dump($c->getAll($db, 'T', 'A'));
    echo tally_report($c->sync($db)), "\n";
    echo implode("\n", tally_sql_rows($driver, 'mc_302')), "\n";
    var_dump($seqs() === $before);
    var_dump($c->getAll($db, 'T', 'A'));
    var_dump($c->getMany($db, 'T', 'C', ['y', 'z']));
    var_dump(tally_raw_keys($prefix, $port));
    $db = null;
    tally_db_drop($driver, 'mc_302');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
array(2) {
  ["a"]=>
  int(0)
  ["b"]=>
  int(0)
}
synced=1 owners=3 batches=1 skipped=4 recovered=0 locked=false incomplete=false errors=[]
T|B|x = 4
T|C|y = 2
bool(true)
array(0) {
}
array(2) {
  ["y"]=>
  int(2)
  ["z"]=>
  int(0)
}
array(0) {
}
-- mysql
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
array(2) {
  ["a"]=>
  int(0)
  ["b"]=>
  int(0)
}
synced=1 owners=3 batches=1 skipped=4 recovered=0 locked=false incomplete=false errors=[]
T|B|x = 4
T|C|y = 2
bool(true)
array(0) {
}
array(2) {
  ["y"]=>
  int(2)
  ["z"]=>
  int(0)
}
array(0) {
}
