--TEST--
A run that fails at any failpoint reports the error; exact reads stay exact in the state it leaves, and the next run recovers its claim and applies every delta exactly once
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
$keys = fn () => implode(' ', array_map(fn ($k) => substr($k, strlen($prefix)), tally_raw_keys($prefix, $port)));
$reads = function ($db) use ($c) {
    $all = $c->getAll($db, 'T', 1);
    ksort($all);
    return json_encode([$c->getMany($db, 'T', 1, ['a', 'b', 'z']), $all]);
};
// Failpoints are read once per process: each failing run is a child of its own.
$child = 'echo json_encode((new Tally\Counter($args[0]))->sync(new Tally\Database($args[1])));';
foreach (['sqlite', 'mysql'] as $driver) {
    foreach (['after-claim', 'before-write', 'before-commit', 'after-commit', 'after-release'] as $fp) {
        echo "-- $driver $fp\n";
        $db = tally_db($driver, 'mc_309');
        $c->incrementMany('T', 1, ['a' => 2, 'b' => 3, 'z' => 0]);
        $r = tally_child_php($child, ['TALLY_FAILPOINTS' => "$fp=error"], [$opts, tally_db_options($driver, 'mc_309')]);
        $report = json_decode($r['stdout'], true);
        echo "exit $r[exit]: errors=[", implode(' | ', $report['errors'] ?? [$r['stdout'] . $r['stderr']]), "]\n";
        echo "keys: ", $keys(), "\n";
        echo "sql: ", implode(', ', tally_sql_rows($driver, 'mc_309')), "\n";
        echo "reads: ", $reads($db), "\n";
        // An increment while the claim is still in flight.
        $c->increment('T', 1, 'a', 10);
        echo "reads: ", $reads($db), "\n";
        echo tally_report($c->sync($db)), "\n";
        echo "reads: ", $reads($db), "\n";
        echo "sql: ", implode(', ', tally_sql_rows($driver, 'mc_309')), "\n";
        echo "keys: ", $keys(), "\n";
        $db = null;
        tally_db_drop($driver, 'mc_309');
    }
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite after-claim
exit 0: errors=[failpoint after-claim]
keys: {T:1}:c
sql: 
reads: [{"a":2,"b":3,"z":0},{"a":2,"b":3,"z":0}]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3,"z":0}]
synced=3 owners=2 batches=2 skipped=1 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3}]
sql: T|1|a = 12, T|1|b = 3
keys: 
-- sqlite before-write
exit 0: errors=[failpoint before-write]
keys: {T:1}:c
sql: 
reads: [{"a":2,"b":3,"z":0},{"a":2,"b":3,"z":0}]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3,"z":0}]
synced=3 owners=2 batches=2 skipped=1 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3}]
sql: T|1|a = 12, T|1|b = 3
keys: 
-- sqlite before-commit
exit 0: errors=[failpoint before-commit]
keys: {T:1}:c
sql: 
reads: [{"a":2,"b":3,"z":0},{"a":2,"b":3,"z":0}]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3,"z":0}]
synced=3 owners=2 batches=2 skipped=1 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3}]
sql: T|1|a = 12, T|1|b = 3
keys: 
-- sqlite after-commit
exit 0: errors=[failpoint after-commit]
keys: {T:1}:c
sql: T|1|a = 2, T|1|b = 3
reads: [{"a":2,"b":3,"z":0},{"a":2,"b":3,"z":0}]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3,"z":0}]
synced=1 owners=1 batches=1 skipped=1 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3}]
sql: T|1|a = 12, T|1|b = 3
keys: 
-- sqlite after-release
exit 0: errors=[failpoint after-release]
keys: 
sql: T|1|a = 2, T|1|b = 3
reads: [{"a":2,"b":3,"z":0},{"a":2,"b":3}]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3}]
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3}]
sql: T|1|a = 12, T|1|b = 3
keys: 
-- mysql after-claim
exit 0: errors=[failpoint after-claim]
keys: {T:1}:c
sql: 
reads: [{"a":2,"b":3,"z":0},{"a":2,"b":3,"z":0}]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3,"z":0}]
synced=3 owners=2 batches=2 skipped=1 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3}]
sql: T|1|a = 12, T|1|b = 3
keys: 
-- mysql before-write
exit 0: errors=[failpoint before-write]
keys: {T:1}:c
sql: 
reads: [{"a":2,"b":3,"z":0},{"a":2,"b":3,"z":0}]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3,"z":0}]
synced=3 owners=2 batches=2 skipped=1 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3}]
sql: T|1|a = 12, T|1|b = 3
keys: 
-- mysql before-commit
exit 0: errors=[failpoint before-commit]
keys: {T:1}:c
sql: 
reads: [{"a":2,"b":3,"z":0},{"a":2,"b":3,"z":0}]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3,"z":0}]
synced=3 owners=2 batches=2 skipped=1 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3}]
sql: T|1|a = 12, T|1|b = 3
keys: 
-- mysql after-commit
exit 0: errors=[failpoint after-commit]
keys: {T:1}:c
sql: T|1|a = 2, T|1|b = 3
reads: [{"a":2,"b":3,"z":0},{"a":2,"b":3,"z":0}]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3,"z":0}]
synced=1 owners=1 batches=1 skipped=1 recovered=1 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3}]
sql: T|1|a = 12, T|1|b = 3
keys: 
-- mysql after-release
exit 0: errors=[failpoint after-release]
keys: 
sql: T|1|a = 2, T|1|b = 3
reads: [{"a":2,"b":3,"z":0},{"a":2,"b":3}]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3}]
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"a":12,"b":3,"z":0},{"a":12,"b":3}]
sql: T|1|a = 12, T|1|b = 3
keys: 
