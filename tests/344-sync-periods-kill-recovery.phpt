--TEST--
Period counters sync exactly once: a run killed (SIGKILL) at any failpoint, with claims holding a key's periods and its lifetime counter or periods alone, loses nothing and applies nothing twice; reads by period, history and sum stay exact throughout
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
// Owner 1: 'a' in its day and month only (the peer's per-call interval), 'b' lifetime + day.
// Owner 2: 'c' in its day only, so its claim holds no lifetime counter at all: whether it
// committed can only be told from a period row.
$reads = fn ($db) => json_encode([
    $c->history($db, 'T', 1, 'a', 'day', 3, '2026-12-03'),
    $c->get($db, 'T', 1, 'a', 'month', '2026-12-31'),
    $c->getMany($db, 'T', 1, ['a', 'b']),
    $c->get($db, 'T', 1, 'b', 'day', '2026-12-02'),
    $c->sum($db, 'T', 2, 'c', 'day'),
]);
$sql = function ($driver) {
    $q = $driver === 'mysql' ? '`' : '"';
    $rows = tally_sql($driver, 'mc_344', "SELECT owner_id, {$q}key$q, period, period_start, {$q}count$q FROM mc_344 ORDER BY owner_id, {$q}key$q, period, period_start");
    return implode(', ', array_map(fn ($r) => "$r[0].$r[1]" . ($r[2] === '' ? '' : ".$r[2].$r[3]") . "=$r[4]", $rows));
};
$child = '$r = (new Tally\Counter($args[0]))->sync(new Tally\Database($args[1])); echo "not killed: ", json_encode($r);';
foreach (['sqlite', 'mysql'] as $driver) {
    foreach (['after-claim', 'before-commit', 'after-commit', 'after-release'] as $fp) {
        echo "-- $driver $fp\n";
        $db = tally_db($driver, 'mc_344');
        $c->increment('T', 1, 'a', 2, ['day', 'month'], '2026-12-02');
        $c->increment('T', 1, 'b', 3, ['', 'day'], '2026-12-02');
        $c->increment('T', 2, 'c', 4, ['day'], '2026-12-02');
        echo "reads: ", $reads($db), "\n";
        $r = tally_child_php($child, ['TALLY_FAILPOINTS' => "$fp=kill"], [$opts, tally_db_options($driver, 'mc_344')]);
        echo "exit $r[exit] signal $r[signal] $r[stdout]$r[stderr]\n";
        echo "reads: ", $reads($db), "\n";
        // Increments go on meanwhile, into the claimed periods and a new day.
        $c->increment('T', 1, 'a', 10, ['day', 'month'], '2026-12-03');
        $c->increment('T', 2, 'c', 1, ['day'], '2026-12-02');
        echo "reads: ", $reads($db), "\n";
        tally_raw(['PEXPIRE', $lock, 1], $port);
        usleep(5000);
        echo tally_report($c->sync($db)), "\n";
        echo "reads: ", $reads($db), "\n";
        echo "sql: ", $sql($driver), "\n";
        echo "keys: ", count(tally_raw_keys($prefix, $port)), "\n";
        $db = null;
        tally_db_drop($driver, 'mc_344');
    }
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite after-claim
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
exit -1 signal 9 
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
synced=8 owners=4 batches=2 skipped=0 recovered=2 locked=false incomplete=false errors=[]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
sql: 1.a.day.2026-12-02=2, 1.a.day.2026-12-03=10, 1.a.month.2026-12-01=12, 1.b=3, 1.b.day.2026-12-02=3, 2.c.day.2026-12-02=5
keys: 0
-- sqlite before-commit
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
exit -1 signal 9 
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
synced=8 owners=4 batches=2 skipped=0 recovered=2 locked=false incomplete=false errors=[]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
sql: 1.a.day.2026-12-02=2, 1.a.day.2026-12-03=10, 1.a.month.2026-12-01=12, 1.b=3, 1.b.day.2026-12-02=3, 2.c.day.2026-12-02=5
keys: 0
-- sqlite after-commit
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
exit -1 signal 9 
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
synced=3 owners=2 batches=1 skipped=0 recovered=2 locked=false incomplete=false errors=[]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
sql: 1.a.day.2026-12-02=2, 1.a.day.2026-12-03=10, 1.a.month.2026-12-01=12, 1.b=3, 1.b.day.2026-12-02=3, 2.c.day.2026-12-02=5
keys: 0
-- sqlite after-release
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
exit -1 signal 9 
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
synced=3 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
sql: 1.a.day.2026-12-02=2, 1.a.day.2026-12-03=10, 1.a.month.2026-12-01=12, 1.b=3, 1.b.day.2026-12-02=3, 2.c.day.2026-12-02=5
keys: 0
-- mysql after-claim
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
exit -1 signal 9 
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
synced=8 owners=4 batches=2 skipped=0 recovered=2 locked=false incomplete=false errors=[]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
sql: 1.a.day.2026-12-02=2, 1.a.day.2026-12-03=10, 1.a.month.2026-12-01=12, 1.b=3, 1.b.day.2026-12-02=3, 2.c.day.2026-12-02=5
keys: 0
-- mysql before-commit
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
exit -1 signal 9 
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
synced=8 owners=4 batches=2 skipped=0 recovered=2 locked=false incomplete=false errors=[]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
sql: 1.a.day.2026-12-02=2, 1.a.day.2026-12-03=10, 1.a.month.2026-12-01=12, 1.b=3, 1.b.day.2026-12-02=3, 2.c.day.2026-12-02=5
keys: 0
-- mysql after-commit
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
exit -1 signal 9 
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
synced=3 owners=2 batches=1 skipped=0 recovered=2 locked=false incomplete=false errors=[]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
sql: 1.a.day.2026-12-02=2, 1.a.day.2026-12-03=10, 1.a.month.2026-12-01=12, 1.b=3, 1.b.day.2026-12-02=3, 2.c.day.2026-12-02=5
keys: 0
-- mysql after-release
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
exit -1 signal 9 
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":0},2,{"a":0,"b":3},3,4]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
synced=3 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"2026-12-01":0,"2026-12-02":2,"2026-12-03":10},12,{"a":0,"b":3},3,5]
sql: 1.a.day.2026-12-02=2, 1.a.day.2026-12-03=10, 1.a.month.2026-12-01=12, 1.b=3, 1.b.day.2026-12-02=3, 2.c.day.2026-12-02=5
keys: 0