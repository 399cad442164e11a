--TEST--
A run whose lock expired while a second run took over cannot commit its next batch (the fence refuses it): the second run settles the stale run's claim, every delta lands exactly once
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$redis = tally_redis_child();
$port = $redis['port'];
$c = new Tally\Counter(tally_opts(['port' => $port]));
$lock = $c->getPrefix() . '{}:sync:lock';
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_319');
    // Rows exist already, and every batch holds two: the refused batch is a multi-row
    // upsert of existing rows (where MariaDB outside strict mode would only warn).
    foreach ([1, 2, 3] as $id) {
        $c->incrementMany('T', $id, ['m' => 1, 'n' => $id]);
    }
    $c->sync($db);
    foreach ([1, 2, 3] as $id) {
        $c->incrementMany('T', $id, ['m' => 1, 'n' => $id * 10 - $id]);
    }
    // Run A, batch_size 1. After its first batch its lock "expires" and run B takes over:
    // B finds the owner A claimed ahead (a leftover to B, never committed) and writes it.
    $b = null;
    $r = $c->sync($db, ['batch_size' => 1, 'progress' => function () use ($c, $db, $lock, $port, &$b) {
        if ($b !== null) {
            return;
        }
        tally_raw(['DEL', $lock], $port);
        $b = $c->sync($db);
    }]);
    echo 'B: ', tally_report($b), "\n";
    echo 'A: ', preg_replace('/fence \d+, ours \d+/', 'fence F, ours f', tally_report($r)), "\n";
    echo implode("\n", tally_sql_rows($driver, 'mc_319')), "\n";
    echo tally_report($c->sync($db)), "\n";
    echo 'sum: ', array_sum(array_map(fn ($id) => array_sum($c->getAll($db, 'T', $id)), [1, 2, 3])), "\n";
    var_dump(tally_raw_keys($c->getPrefix(), $port));
    $db = null;
    tally_db_drop($driver, 'mc_319');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite
B: synced=4 owners=2 batches=1 skipped=0 recovered=2 locked=false incomplete=false errors=[]
A: synced=2 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[another sync run took over (fence F, ours f): stopping without writing]
T|1|m = 2
T|1|n = 10
T|2|m = 2
T|2|n = 20
T|3|m = 2
T|3|n = 30
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
sum: 66
array(0) {
}
-- mysql
B: synced=4 owners=2 batches=1 skipped=0 recovered=2 locked=false incomplete=false errors=[]
A: synced=2 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[another sync run took over (fence F, ours f): stopping without writing]
T|1|m = 2
T|1|n = 10
T|2|m = 2
T|2|n = 20
T|3|m = 2
T|3|n = 30
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
sum: 66
array(0) {
}
