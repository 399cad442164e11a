--TEST--
Reads stay exact when a row is newer than the claim in flight: a stale run's claim (made after a newer run wrote the owner) counts until a run recovers it; a claim released and rewritten while a read waits between Redis and SQL is not counted twice (the read is done again)
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
$reads = function (Tally\Database $db, int $id) use ($c): string {
    $all = $c->getAll($db, 'T', $id);
    ksort($all);
    return json_encode([$c->get($db, 'T', $id, 'a'), $c->getMany($db, 'T', $id, ['a', 'b']), $all]);
};
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver: a stale run's claim\n";
    $db = tally_db($driver, 'mc_323');
    $c->incrementMany('T', 1, ['a' => 5, 'b' => 7]);
    $c->sync($db);
    // What a run whose lock expired leaves when it claims the owner after a newer run wrote
    // it: a claim whose seq (fence 0, round 1) is older than the rows' (its batch is then
    // refused by the fence, so the claim waits for the next run).
    tally_raw(['HSET', $prefix . '{T:1}:c', '', '1', 'a', '3'], $port);
    echo "reads: ", $reads($db, 1), "\n";
    echo tally_report($c->sync($db)), "\n";
    echo "reads: ", $reads($db, 1), "\n";
    echo "sql: ", implode(', ', tally_sql_rows($driver, 'mc_323')), "\n";

    foreach (['get', 'getAll'] as $read) {
        echo "-- $driver: $read waits between Redis and SQL while a run releases the claim and writes a newer one\n";
        // A claim committed but not released (the run died after its commit).
        $c->increment('T', 2, 'a', 1);
        $r = tally_child_php('(new Tally\Counter($args[0]))->sync(new Tally\Database($args[1]));',
            ['TALLY_FAILPOINTS' => 'after-commit=kill'], [$opts, tally_db_options($driver, 'mc_323')]);
        echo "killed: ", $r['signal'], "\n";
        tally_raw(['DEL', $lock], $port);
        $marker = tempnam(sys_get_temp_dir(), 'tally-323-');
        unlink($marker);
        $reader = tally_child_php_start('
            $c = new Tally\Counter($args[0]);
            $db = new Tally\Database($args[1]);
            touch($args[3]);
            echo $args[2] === "get" ? $c->get($db, "T", 2, "a") : json_encode($c->getAll($db, "T", 2));',
            ['TALLY_FAILPOINTS' => 'read-before-sql=sleep:1500'],
            [$opts, tally_db_options($driver, 'mc_323'), $read, $marker]);
        $deadline = microtime(true) + 10;
        while (!file_exists($marker) && microtime(true) < $deadline) {
            usleep(2000);
        }
        usleep(300000);   // the reader has read Redis (the claim, +1) and waits before SQL
        $c->increment('T', 2, 'a', 10);
        echo tally_report($c->sync($db)), "\n";   // releases the claim, writes +10 under a newer seq
        $r = tally_child_php_wait($reader);
        echo "reader: $r[stdout]$r[stderr]\n";
        echo "reads: ", $reads($db, 2), "\n";
        @unlink($marker);
        tally_sql($driver, 'mc_323', "DELETE FROM mc_323 WHERE owner_id = '2'");
    }
    var_dump(tally_raw_keys($prefix, $port));
    $db = null;
    tally_db_drop($driver, 'mc_323');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite: a stale run's claim
reads: [8,{"a":8,"b":7},{"a":8,"b":7}]
synced=1 owners=1 batches=1 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reads: [8,{"a":8,"b":7},{"a":8,"b":7}]
sql: T|1|a = 8, T|1|b = 7
-- sqlite: get waits between Redis and SQL while a run releases the claim and writes a newer one
killed: 9
synced=1 owners=1 batches=1 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reader: 11
reads: [11,{"a":11,"b":0},{"a":11}]
-- sqlite: getAll waits between Redis and SQL while a run releases the claim and writes a newer one
killed: 9
synced=1 owners=1 batches=1 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reader: {"a":11}
reads: [11,{"a":11,"b":0},{"a":11}]
array(0) {
}
-- mysql: a stale run's claim
reads: [8,{"a":8,"b":7},{"a":8,"b":7}]
synced=1 owners=1 batches=1 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reads: [8,{"a":8,"b":7},{"a":8,"b":7}]
sql: T|1|a = 8, T|1|b = 7
-- mysql: get waits between Redis and SQL while a run releases the claim and writes a newer one
killed: 9
synced=1 owners=1 batches=1 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reader: 11
reads: [11,{"a":11,"b":0},{"a":11}]
-- mysql: getAll waits between Redis and SQL while a run releases the claim and writes a newer one
killed: 9
synced=1 owners=1 batches=1 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reader: {"a":11}
reads: [11,{"a":11,"b":0},{"a":11}]
array(0) {
}
