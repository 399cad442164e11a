--TEST--
Batches hold whole owners up to batch_size counters; progress gets the running total after each batch; false, the time budget or an exception stops the run cleanly (after writing what it had already claimed) and the next run does the rest
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
    for ($i = 1; $i <= 10; $i++) {
        $c->incrementMany('T', $i, ['a' => 1, 'b' => 2]);
    }
};
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_305');
    $total = function () use ($c, $db) {
        $sum = 0;
        for ($i = 1; $i <= 10; $i++) {
            $sum += array_sum($c->getAll($db, 'T', $i));
        }
        return $sum;
    };
    $left = fn () => count(tally_raw_keys($c->getPrefix(), $redis['port']));
    // 10 owners x 2 counters, batch_size 5: each batch takes whole owners while they fit in
    // 5 counters (2 owners: a third would make 6). At each call, every owner has all of its
    // rows in SQL or none.
    $fill();
    $r = $c->sync($db, ['batch_size' => 5, 'progress' => function (int $done) use ($driver) {
        $rows = array_map(fn ($r) => (int) $r[0], tally_sql($driver, 'mc_305', 'SELECT COUNT(*) FROM mc_305 GROUP BY owner_id'));
        sort($rows);
        echo "progress $done, rows per owner: ", implode(' ', $rows), "\n";
    }]);
    echo tally_report($r), "\n", $total(), "\n";

    // false stops the run: what was claimed by then is still written, no more (here the
    // first claim round: 5 owners, batch_size of them while their size is unknown), and
    // there is no further call.
    $fill();
    $calls = [];
    $r = $c->sync($db, ['batch_size' => 5, 'progress' => function (int $done) use (&$calls) {
        $calls[] = $done;
        return false;
    }]);
    echo tally_report($r), "\ncalls: ", implode(' ', $calls), "\n", $total(), " pending owners: ", $left(), "\n";
    echo tally_report($c->sync($db)), "\n", $total(), "\n";

    // So does the time budget, checked after each batch.
    $fill();
    $calls = [];
    $r = $c->sync($db, ['batch_size' => 5, 'time_budget' => 0.001, 'progress' => function (int $done) use (&$calls) {
        $calls[] = $done;
        usleep(5000);
    }]);
    echo tally_report($r), "\ncalls: ", implode(' ', $calls), "\n", $total(), " pending owners: ", $left(), "\n";
    echo tally_report($c->sync($db)), "\n", $total(), "\n";

    // An exception propagates out of sync(); the run stops there and nothing is lost.
    $fill();
    $calls = [];
    try {
        $c->sync($db, ['batch_size' => 5, 'progress' => function (int $done) use (&$calls) {
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
progress 12, rows per owner: 2 2 2 2 2 2
progress 16, rows per owner: 2 2 2 2 2 2 2 2
progress 20, rows per owner: 2 2 2 2 2 2 2 2 2 2
synced=20 owners=10 batches=5 skipped=0 recovered=0 locked=false incomplete=false errors=[]
30
synced=10 owners=5 batches=3 skipped=0 recovered=0 locked=false incomplete=true errors=[]
calls: 4
60 pending owners: 5
synced=10 owners=5 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
60
synced=10 owners=5 batches=3 skipped=0 recovered=0 locked=false incomplete=true errors=[]
calls: 4
90 pending owners: 5
synced=10 owners=5 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
90
RuntimeException: stop at 4
calls: 4
120 pending owners: 5
synced=10 owners=5 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
120
array(0) {
}
-- mysql
progress 4, rows per owner: 2 2
progress 8, rows per owner: 2 2 2 2
progress 12, rows per owner: 2 2 2 2 2 2
progress 16, rows per owner: 2 2 2 2 2 2 2 2
progress 20, rows per owner: 2 2 2 2 2 2 2 2 2 2
synced=20 owners=10 batches=5 skipped=0 recovered=0 locked=false incomplete=false errors=[]
30
synced=10 owners=5 batches=3 skipped=0 recovered=0 locked=false incomplete=true errors=[]
calls: 4
60 pending owners: 5
synced=10 owners=5 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
60
synced=10 owners=5 batches=3 skipped=0 recovered=0 locked=false incomplete=true errors=[]
calls: 4
90 pending owners: 5
synced=10 owners=5 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
90
RuntimeException: stop at 4
calls: 4
120 pending owners: 5
synced=10 owners=5 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
120
array(0) {
}