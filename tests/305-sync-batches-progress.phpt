--TEST--
Batches hold batch_size counters cut at owner boundaries; progress gets the running total after each batch; false, the time budget or an exception stops the run cleanly (after the one batch already claimed) and the next run does the rest
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
// A private Redis holding only this test's keys, so that one SCAN page finds every owner.
$redis = tally_redis_child();
$c = new Tally\Counter(tally_opts(['port' => $redis['port']]));
$fill = function () use ($c) {
    for ($i = 1; $i <= 5; $i++) {
        $c->incrementMany('T', $i, ['a' => 1, 'b' => 2]);
    }
};
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_305');
    $total = function () use ($c, $db) {
        $sum = 0;
        for ($i = 1; $i <= 5; $i++) {
            $sum += array_sum($c->getAll($db, 'T', $i));
        }
        return $sum;
    };
    $left = fn () => count(tally_raw_keys($c->getPrefix(), $redis['port']));
    // 5 owners x 2 counters, batch_size 3: each batch takes whole owners until it holds 3
    // or more counters. At each call, every owner has all of its rows in SQL or none.
    $fill();
    $r = $c->sync($db, ['batch_size' => 3, 'progress' => function (int $done) use ($driver) {
        $rows = array_map(fn ($r) => (int) $r[0], tally_sql($driver, 'mc_305', 'SELECT COUNT(*) FROM mc_305 GROUP BY owner_id'));
        sort($rows);
        echo "progress $done, rows per owner: ", implode(' ', $rows), "\n";
    }]);
    echo tally_report($r), "\n", $total(), "\n";

    // false stops the run: the batch claimed while that one committed is still written
    // (no more than that), and there is no further call.
    $fill();
    $calls = [];
    $r = $c->sync($db, ['batch_size' => 3, 'progress' => function (int $done) use (&$calls) {
        $calls[] = $done;
        return false;
    }]);
    echo tally_report($r), "\ncalls: ", implode(' ', $calls), "\n", $total(), " pending owners: ", $left(), "\n";
    echo tally_report($c->sync($db)), "\n", $total(), "\n";

    // So does the time budget, checked after each batch.
    $fill();
    $calls = [];
    $r = $c->sync($db, ['batch_size' => 3, 'time_budget' => 0.001, 'progress' => function (int $done) use (&$calls) {
        $calls[] = $done;
        usleep(5000);
    }]);
    echo tally_report($r), "\ncalls: ", implode(' ', $calls), "\n", $total(), " pending owners: ", $left(), "\n";
    echo tally_report($c->sync($db)), "\n", $total(), "\n";

    // An exception propagates out of sync(); the run stops there and nothing is lost.
    $fill();
    $calls = [];
    try {
        $c->sync($db, ['batch_size' => 3, 'progress' => function (int $done) use (&$calls) {
            $calls[] = $done;
            throw new RuntimeException("stop at $done");
        }]);
    } catch (RuntimeException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
    echo "calls: ", implode(' ', $calls), "\n", $total(), " pending owners: ", $left(), "\n";
    echo tally_report($c->sync($db)), "\n", $total(), "\n";
    var_dump(tally_raw_keys($c->getPrefix(), $redis['port']));
    $db = null;
    tally_db_drop($driver, 'mc_305');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite
progress 4, rows per owner: 2 2
progress 8, rows per owner: 2 2 2 2
progress 10, rows per owner: 2 2 2 2 2
synced=10 owners=5 batches=3 skipped=0 recovered=0 locked=false incomplete=false errors=[]
15
synced=8 owners=4 batches=2 skipped=0 recovered=0 locked=false incomplete=true errors=[]
calls: 4
30 pending owners: 1
synced=2 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
30
synced=8 owners=4 batches=2 skipped=0 recovered=0 locked=false incomplete=true errors=[]
calls: 4
45 pending owners: 1
synced=2 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
45
RuntimeException: stop at 4
calls: 4
60 pending owners: 1
synced=2 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
60
array(0) {
}
-- mysql
progress 4, rows per owner: 2 2
progress 8, rows per owner: 2 2 2 2
progress 10, rows per owner: 2 2 2 2 2
synced=10 owners=5 batches=3 skipped=0 recovered=0 locked=false incomplete=false errors=[]
15
synced=8 owners=4 batches=2 skipped=0 recovered=0 locked=false incomplete=true errors=[]
calls: 4
30 pending owners: 1
synced=2 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
30
synced=8 owners=4 batches=2 skipped=0 recovered=0 locked=false incomplete=true errors=[]
calls: 4
45 pending owners: 1
synced=2 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
45
RuntimeException: stop at 4
calls: 4
60 pending owners: 1
synced=2 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
60
array(0) {
}
