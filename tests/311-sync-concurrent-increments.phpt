--TEST--
Increments made while a run is under way (to owners already written, to owners claimed but not yet written, to new owners) are never lost or counted twice: reads stay exact, and the next run syncs them
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
// A private Redis, so that the run's one SCAN page holds T:1..T:3.
$redis = tally_redis_child();
$port = $redis['port'];
$c = new Tally\Counter(tally_opts(['port' => $port]));
$prefix = $c->getPrefix();
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_311');
    $issued = [];
    $incr = function ($id, $key, $n) use ($c, &$issued) {
        $c->increment('T', $id, $key, $n);
        $issued[$id][$key] = ($issued[$id][$key] ?? 0) + $n;
    };
    $exact = function () use ($c, $db, &$issued) {
        foreach ([1, 2, 3, 9] as $id) {
            $all = array_filter($c->getAll($db, 'T', $id));
            ksort($all);
            $want = $issued[$id] ?? [];
            ksort($want);
            if ($all !== $want) {
                return "T:$id is " . json_encode($all) . ', issued ' . json_encode($want);
            }
        }
        return 'exact';
    };
    foreach ([1, 2, 3] as $id) {
        $incr($id, 'n', 1);
    }
    // batch_size 1: three batches of one owner each; each owner is claimed while the batch
    // before it commits.
    $calls = 0;
    $r = $c->sync($db, ['batch_size' => 1, 'progress' => function (int $done) use ($incr, $exact, &$calls) {
        if (++$calls === 1) {
            foreach ([1, 2, 3] as $id) {
                $incr($id, 'n', 10);      // one written, one claimed, one pending
            }
            $incr(1, 'm', 7);             // a new key of a claimed owner
            $incr(9, 'n', 5);             // a new owner
        }
        $incr(1, 'n', 100);
        echo "progress $done: ", $exact(), "\n";
    }]);
    echo tally_report($r), "\n", $exact(), "\n";
    echo tally_report($c->sync($db)), "\n", $exact(), "\n";
    echo implode("\n", tally_sql_rows($driver, 'mc_311')), "\n";
    var_dump(tally_raw_keys($prefix, $port));
    $db = null;
    tally_db_drop($driver, 'mc_311');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite
progress 1: exact
progress 2: exact
progress 3: exact
synced=3 owners=3 batches=3 skipped=0 recovered=0 locked=false incomplete=false errors=[]
exact
synced=4 owners=3 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
exact
T|1|m = 7
T|1|n = 311
T|2|n = 11
T|3|n = 11
T|9|n = 5
array(0) {
}
-- mysql
progress 1: exact
progress 2: exact
progress 3: exact
synced=3 owners=3 batches=3 skipped=0 recovered=0 locked=false incomplete=false errors=[]
exact
synced=4 owners=3 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
exact
T|1|m = 7
T|1|n = 311
T|2|n = 11
T|3|n = 11
T|9|n = 5
array(0) {
}
