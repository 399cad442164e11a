--TEST--
dry_run reports what a run would sync but claims, writes and locks nothing: Redis, SQL and exact reads are unchanged, and a real run then syncs exactly that
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
$state = function () use ($prefix, $port) {
    $out = [];
    foreach (tally_raw_keys($prefix, $port) as $k) {
        $out[$k] = tally_raw(['TYPE', $k], $port) === 'hash' ? tally_raw(['HGETALL', $k], $port) : tally_raw(['GET', $k], $port);
    }
    return $out;
};
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_303');
    $c->incrementMany('App\Models\User', 1, ['views' => 5, 'likes' => -2, 'zero' => 0]);
    $c->increment('App\Models\User', 2, 'views', 3);
    $c->increment('App\Models\Post', 'x', 'views', 1);
    $sorted = function (array $a) { ksort($a); return $a; };
    $reads = fn () => [$sorted($c->getAll($db, 'App\Models\User', 1)), $c->get($db, 'App\Models\User', 2, 'views'),
        $c->get($db, 'App\Models\Post', 'x', 'views')];
    $redisBefore = $state();
    $readsBefore = $reads();
    echo tally_report($c->sync($db, ['dry_run' => true])), "\n";
    var_dump($state() === $redisBefore, $reads() === $readsBefore);
    var_dump(tally_sql($driver, 'mc_303', 'SELECT COUNT(*) FROM mc_303'), tally_sql($driver, 'mc_303', 'SELECT COUNT(*) FROM mc_303_sync'));
    // It takes no lock, so it works (and leaves the holder's lock alone) while a run holds it.
    tally_raw(['SET', $prefix . '{}:sync:lock', 'other', 'PX', 60000], $port);
    echo tally_report($c->sync($db, ['dry_run' => true, 'batch_size' => 1])), "\n";
    var_dump(tally_raw(['GET', $prefix . '{}:sync:lock'], $port));
    tally_raw(['DEL', $prefix . '{}:sync:lock'], $port);
    // The real run syncs what the dry run announced.
    echo tally_report($c->sync($db)), "\n";
    echo json_encode($readsBefore), "\n", json_encode($reads()), "\n";
    echo tally_report($c->sync($db, ['dry_run' => true])), "\n";
    $db = null;
    tally_db_drop($driver, 'mc_303');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite
synced=4 owners=3 batches=0 skipped=1 recovered=0 locked=false incomplete=false errors=[]
bool(true)
bool(true)
array(1) {
  [0]=>
  array(1) {
    [0]=>
    string(1) "0"
  }
}
array(1) {
  [0]=>
  array(1) {
    [0]=>
    string(1) "0"
  }
}
synced=4 owners=3 batches=0 skipped=1 recovered=0 locked=false incomplete=false errors=[]
string(5) "other"
synced=4 owners=3 batches=1 skipped=1 recovered=0 locked=false incomplete=false errors=[]
[{"likes":-2,"views":5,"zero":0},3,1]
[{"likes":-2,"views":5},3,1]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
-- mysql
synced=4 owners=3 batches=0 skipped=1 recovered=0 locked=false incomplete=false errors=[]
bool(true)
bool(true)
array(1) {
  [0]=>
  array(1) {
    [0]=>
    string(1) "0"
  }
}
array(1) {
  [0]=>
  array(1) {
    [0]=>
    string(1) "0"
  }
}
synced=4 owners=3 batches=0 skipped=1 recovered=0 locked=false incomplete=false errors=[]
string(5) "other"
synced=4 owners=3 batches=1 skipped=1 recovered=0 locked=false incomplete=false errors=[]
[{"likes":-2,"views":5,"zero":0},3,1]
[{"likes":-2,"views":5},3,1]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
