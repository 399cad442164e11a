--TEST--
A run holds <prefix>{}:sync:lock with lock_ttl while it works and releases it at the end; while another holder has it a run does nothing (locked), and a run that loses it stops
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
// A private Redis, so that one SCAN page finds every owner of the lost-lock run.
$redis = tally_redis_child();
$port = $redis['port'];
$c = new Tally\Counter(tally_opts(['port' => $port]));
$lock = $c->getPrefix() . '{}:sync:lock';
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_306');
    $c->increment('T', 1, 'n', 5);
    // Another holder: nothing is done and its lock is left alone.
    tally_raw(['SET', $lock, 'other', 'PX', 60000], $port);
    echo tally_report($c->sync($db)), "\n";
    var_dump(tally_raw(['GET', $lock], $port), tally_raw(['PTTL', $lock], $port) > 59000, $c->pending('T', 1, 'n'));
    var_dump(tally_sql($driver, 'mc_306', 'SELECT COUNT(*) FROM mc_306_sync')[0][0]);
    // Once it expires, a run takes it, holds it with lock_ttl while it works, then deletes it.
    tally_raw(['PEXPIRE', $lock, 1], $port);
    usleep(20000);
    $r = $c->sync($db, ['lock_ttl' => 5, 'progress' => function () use ($lock, $port) {
        var_dump(preg_match('/^[0-9a-f]{32}$/', tally_raw(['GET', $lock], $port)));
        $ttl = tally_raw(['PTTL', $lock], $port);
        var_dump($ttl > 0 && $ttl <= 5000);
    }]);
    echo tally_report($r), "\n";
    var_dump(tally_raw(['EXISTS', $lock], $port), $c->get($db, 'T', 1, 'n'));
    // A run that fails releases it too.
    $c->increment('T', 1, 'n');
    $missing = new Tally\Database(tally_db_options($driver, 'mc_306_missing'));
    echo count($c->sync($missing)['errors']), "\n";
    var_dump(tally_raw(['EXISTS', $lock], $port));
    $missing = null;
    tally_db_drop($driver, 'mc_306_missing');
    // A run whose lock was taken over after its first batch notices it with the next
    // batch's pipeline (the lock refresh is read after that batch commits: a real second
    // run would have bumped the fence, so that commit would have been refused), stops, and
    // leaves the new holder's lock in place. It had written T:1 and T:2 and claimed T:3;
    // the next run, once the holder is gone, settles both claims as leftovers.
    $c->increment('T', 2, 'n', 2);
    $c->increment('T', 3, 'n', 3);
    $r = $c->sync($db, ['batch_size' => 1, 'progress' => function () use ($lock, $port) {
        tally_raw(['SET', $lock, 'thief', 'PX', 60000], $port);
    }]);
    echo tally_report($r), "\n";
    var_dump(tally_raw(['GET', $lock], $port));
    var_dump($c->get($db, 'T', 1, 'n') + $c->get($db, 'T', 2, 'n') + $c->get($db, 'T', 3, 'n'));
    echo tally_report($c->sync($db)), "\n";
    tally_raw(['DEL', $lock], $port);
    echo tally_report($c->sync($db)), "\n";
    var_dump($c->get($db, 'T', 1, 'n') + $c->get($db, 'T', 2, 'n') + $c->get($db, 'T', 3, 'n'));
    var_dump(tally_raw_keys($c->getPrefix(), $port));
    $db = null;
    tally_db_drop($driver, 'mc_306');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECTF--
-- sqlite
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
string(5) "other"
bool(true)
int(5)
string(1) "0"
int(1)
bool(true)
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(0)
int(5)
1
int(0)
synced=1 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[lost the sync lock (%s): stopping so that two runs never race; the next run finishes the work]
string(5) "thief"
int(11)
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
synced=1 owners=2 batches=1 skipped=0 recovered=2 locked=false incomplete=false errors=[]
int(11)
array(0) {
}
-- mysql
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
string(5) "other"
bool(true)
int(5)
string(1) "0"
int(1)
bool(true)
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(0)
int(5)
1
int(0)
synced=1 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[lost the sync lock (%s): stopping so that two runs never race; the next run finishes the work]
string(5) "thief"
int(11)
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
synced=1 owners=2 batches=1 skipped=0 recovered=2 locked=false incomplete=false errors=[]
int(11)
array(0) {
}
