--TEST--
top() and topKeys() count deltas a sync set aside (the owner's F hash): an owner whose only delta is set aside is ranked, and a set-aside delta on top of a synced row moves its owner up, on SQLite and MySQL
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_352');
    foreach ([1, 2, 3] as $id) $c->forget('Z', $id);
    $c->increment('Z', 1, 'dl', 5);
    $c->incrementMany('Z', 2, ['dl' => 3, 'views' => 2]);
    echo tally_report($c->sync($db)), "\n";
    // What a sync sets aside when the database rejects a counter (tests 317, 330), written directly.
    tally_raw(['HSET', $prefix . '{Z:2}:f', 'dl', '10']);    // 3 synced + 10 set aside
    tally_raw(['HSET', $prefix . '{Z:3}:f', 'dl', '4']);     // nothing but a set-aside delta
    tally_raw(['HSET', $prefix . '{Z:1}:f', 'likes', '9']);  // a key only set aside
    echo "get: ", json_encode([$c->get($db, 'Z', 1, 'dl'), $c->get($db, 'Z', 2, 'dl'), $c->get($db, 'Z', 3, 'dl')]), "\n";
    echo "top: ", json_encode($c->top($db, 'Z', 'dl', 10)), "\n";
    echo "top 2: ", json_encode($c->top($db, 'Z', 'dl', 2)), "\n";
    echo "top keys: ", json_encode($c->topKeys($db, 'Z', 1, 10)), "\n";
    foreach ([1, 2, 3] as $id) $c->forget('Z', $id);
    unset($db);
    tally_db_drop($driver, 'mc_352');
}
?>
--EXPECT--
-- sqlite
synced=3 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
get: [5,13,4]
top: {"2":13,"1":5,"3":4}
top 2: {"2":13,"1":5}
top keys: {"likes":9,"dl":5}
-- mysql
synced=3 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
get: [5,13,4]
top: {"2":13,"1":5,"3":4}
top 2: {"2":13,"1":5}
top keys: {"likes":9,"dl":5}