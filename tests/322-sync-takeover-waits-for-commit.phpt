--TEST--
A run that takes over while a stale run sits between its upsert and its commit waits for that batch to end (the stale run's fence check holds a lock until its commit), then settles the stale run's claims: every delta lands exactly once
--SKIPIF--
<?php $needs = ['redis-server', 'mysql', 'failpoints']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$redis = tally_redis_child();
$port = $redis['port'];
$opts = tally_opts(['port' => $port]);
$c = new Tally\Counter($opts);
$prefix = $c->getPrefix();
$lock = $prefix . '{}:sync:lock';
$child = '$r = (new Tally\Counter($args[0]))->sync(new Tally\Database($args[1])); echo json_encode($r);';
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_322');
    foreach ([1, 2, 3] as $id) {
        $c->increment('T', $id, 'n', $id * 10);
    }
    // Run A writes its one batch, then stays 3 s between the upsert and the commit.
    $a = tally_child_php_start($child, ['TALLY_FAILPOINTS' => 'before-commit=sleep:3000'],
        [$opts, tally_db_options($driver, 'mc_322')]);
    $deadline = microtime(true) + 10;
    while (count(tally_raw_keys($prefix, $port)) < 4 && microtime(true) < $deadline) {
        usleep(2000);   // until A holds the lock and its 3 claims
    }
    usleep(500000);     // A's upsert is done: A is in its before-commit pause
    // A's lock "expires": run B takes over while A's batch is still open.
    tally_raw(['DEL', $lock], $port);
    $b = $c->sync($db);
    $ra = tally_child_php_wait($a);
    $ra = json_decode($ra['stdout'], true) ?? $ra;
    // A's batch committed: nothing refused it, the fence was still A's when it was checked.
    echo 'A: synced=', $ra['synced'] ?? json_encode($ra), ' batches=', $ra['batches'] ?? '', "\n";
    // B ran after A's commit: whether it met A's claims before A released them, it wrote
    // nothing of them (synced 0) and failed nothing.
    echo 'B: synced=', $b['synced'], ' errors=', json_encode($b['errors']), "\n";
    echo implode("\n", tally_sql_rows($driver, 'mc_322')), "\n";
    echo tally_report($c->sync($db)), "\n";
    echo 'sum: ', $c->get($db, 'T', 1, 'n') + $c->get($db, 'T', 2, 'n') + $c->get($db, 'T', 3, 'n'), "\n";
    var_dump(tally_raw_keys($prefix, $port));
    $db = null;
    tally_db_drop($driver, 'mc_322');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite
A: synced=3 batches=1
B: synced=0 errors=[]
T|1|n = 10
T|2|n = 20
T|3|n = 30
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
sum: 60
array(0) {
}
-- mysql
A: synced=3 batches=1
B: synced=0 errors=[]
T|1|n = 10
T|2|n = 20
T|3|n = 30
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
sum: 60
array(0) {
}
