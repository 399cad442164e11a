--TEST--
A run killed (SIGKILL) at any failpoint loses nothing and applies nothing twice: reads stay exact, its lock holds until it expires, then the next run recovers the claim it left
--SKIPIF--
<?php $needs = ['redis-server', 'mysql', 'failpoints']; require __DIR__ . '/inc/skipif.inc'; ?>
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
$opts = tally_opts(['port' => $port]);
$c = new Tally\Counter($opts);
$prefix = $c->getPrefix();
$lock = $prefix . '{}:sync:lock';
$keys = fn () => implode(' ', array_map(fn ($k) => substr($k, strlen($prefix)), tally_raw_keys($prefix, $port)));
$reads = function ($db) use ($c) {
    $all = $c->getAll($db, 'T', 1);
    ksort($all);
    return json_encode([$c->getMany($db, 'T', 1, ['a', 'b']), $all, $c->get($db, 'T', 2, 'a')]);
};
$child = '$r = (new Tally\Counter($args[0]))->sync(new Tally\Database($args[1])); echo "not killed: ", json_encode($r);';
foreach (['sqlite', 'mysql'] as $driver) {
    foreach (['after-claim', 'before-write', 'before-commit', 'after-commit', 'after-release'] as $fp) {
        echo "-- $driver $fp\n";
        $db = tally_db($driver, 'mc_310');
        $c->incrementMany('T', 1, ['a' => 2, 'b' => 3]);
        $r = tally_child_php($child, ['TALLY_FAILPOINTS' => "$fp=kill"], [$opts, tally_db_options($driver, 'mc_310')]);
        echo "exit $r[exit] signal $r[signal] $r[stdout]$r[stderr]\n";
        echo "keys: ", $keys(), "\n";
        echo "sql: ", implode(', ', tally_sql_rows($driver, 'mc_310')), "\n";
        echo "reads: ", $reads($db), "\n";
        // Increments go on meanwhile, to the claimed owner and to another.
        $c->increment('T', 1, 'a', 10);
        $c->increment('T', 2, 'a', 7);
        echo "reads: ", $reads($db), "\n";
        // The dead run's lock stops other runs until it expires.
        echo tally_report($c->sync($db)), "\n";
        tally_raw(['PEXPIRE', $lock, 1], $port);
        usleep(5000);
        // A dry run lists what the next run will write: a committed leftover is not in it.
        $listed = [];
        $r = $c->sync($db, ['dry_run' => true, 'on_batch' => function (array $rows) use (&$listed) {
            foreach ($rows as $row) {
                $listed[] = "$row[owner_id].$row[key]=$row[delta]";
            }
        }]);
        sort($listed);
        echo "dry: ", implode(' ', $listed), "; ", tally_report($r), "\n";
        echo tally_report($c->sync($db)), "\n";
        echo "reads: ", $reads($db), "\n";
        echo "sql: ", implode(', ', tally_sql_rows($driver, 'mc_310')), "\n";
        echo "keys: ", $keys(), "\n";
        $db = null;
        tally_db_drop($driver, 'mc_310');
    }
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite after-claim
exit -1 signal 9 
keys: {T:1}:c {}:sync:lock
sql: 
reads: [{"a":2,"b":3},{"a":2,"b":3},0]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
dry: 1.a=10 1.a=2 1.b=3 2.a=7; synced=4 owners=2 batches=0 skipped=0 recovered=1 locked=false incomplete=false errors=[]
synced=4 owners=3 batches=2 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 7
keys: 
-- sqlite before-write
exit -1 signal 9 
keys: {T:1}:c {}:sync:lock
sql: 
reads: [{"a":2,"b":3},{"a":2,"b":3},0]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
dry: 1.a=10 1.a=2 1.b=3 2.a=7; synced=4 owners=2 batches=0 skipped=0 recovered=1 locked=false incomplete=false errors=[]
synced=4 owners=3 batches=2 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 7
keys: 
-- sqlite before-commit
exit -1 signal 9 
keys: {T:1}:c {}:sync:lock
sql: 
reads: [{"a":2,"b":3},{"a":2,"b":3},0]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
dry: 1.a=10 1.a=2 1.b=3 2.a=7; synced=4 owners=2 batches=0 skipped=0 recovered=1 locked=false incomplete=false errors=[]
synced=4 owners=3 batches=2 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 7
keys: 
-- sqlite after-commit
exit -1 signal 9 
keys: {T:1}:c {}:sync:lock
sql: T|1|a = 2, T|1|b = 3
reads: [{"a":2,"b":3},{"a":2,"b":3},0]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
dry: 1.a=10 2.a=7; synced=2 owners=2 batches=0 skipped=0 recovered=1 locked=false incomplete=false errors=[]
synced=2 owners=2 batches=2 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 7
keys: 
-- sqlite after-release
exit -1 signal 9 
keys: {}:sync:lock
sql: T|1|a = 2, T|1|b = 3
reads: [{"a":2,"b":3},{"a":2,"b":3},0]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
dry: 1.a=10 2.a=7; synced=2 owners=2 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
synced=2 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 7
keys: 
-- mysql after-claim
exit -1 signal 9 
keys: {T:1}:c {}:sync:lock
sql: 
reads: [{"a":2,"b":3},{"a":2,"b":3},0]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
dry: 1.a=10 1.a=2 1.b=3 2.a=7; synced=4 owners=2 batches=0 skipped=0 recovered=1 locked=false incomplete=false errors=[]
synced=4 owners=3 batches=2 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 7
keys: 
-- mysql before-write
exit -1 signal 9 
keys: {T:1}:c {}:sync:lock
sql: 
reads: [{"a":2,"b":3},{"a":2,"b":3},0]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
dry: 1.a=10 1.a=2 1.b=3 2.a=7; synced=4 owners=2 batches=0 skipped=0 recovered=1 locked=false incomplete=false errors=[]
synced=4 owners=3 batches=2 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 7
keys: 
-- mysql before-commit
exit -1 signal 9 
keys: {T:1}:c {}:sync:lock
sql: 
reads: [{"a":2,"b":3},{"a":2,"b":3},0]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
dry: 1.a=10 1.a=2 1.b=3 2.a=7; synced=4 owners=2 batches=0 skipped=0 recovered=1 locked=false incomplete=false errors=[]
synced=4 owners=3 batches=2 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 7
keys: 
-- mysql after-commit
exit -1 signal 9 
keys: {T:1}:c {}:sync:lock
sql: T|1|a = 2, T|1|b = 3
reads: [{"a":2,"b":3},{"a":2,"b":3},0]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
dry: 1.a=10 2.a=7; synced=2 owners=2 batches=0 skipped=0 recovered=1 locked=false incomplete=false errors=[]
synced=2 owners=2 batches=2 skipped=0 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 7
keys: 
-- mysql after-release
exit -1 signal 9 
keys: {}:sync:lock
sql: T|1|a = 2, T|1|b = 3
reads: [{"a":2,"b":3},{"a":2,"b":3},0]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=true incomplete=false errors=[]
dry: 1.a=10 2.a=7; synced=2 owners=2 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
synced=2 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3},{"a":12,"b":3},7]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 7
keys: 
