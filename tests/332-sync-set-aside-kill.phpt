--TEST--
A run killed (SIGKILL) after setting a rejected counter aside, before or after committing the rest of its owner's claim, loses nothing and applies nothing twice: reads stay exact, the next run finishes the claim, and the set-aside counter syncs exactly once after retryFailed()
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
$opts = tally_opts(['port' => $port]);
$c = new Tally\Counter($opts);
$prefix = $c->getPrefix();
$lock = $prefix . '{}:sync:lock';
$keys = fn () => implode(' ', array_map(fn ($k) => substr($k, strlen($prefix)), tally_raw_keys($prefix, $port)));
$reads = function ($db) use ($c) {
    $all = $c->getAll($db, 'T', 1);
    ksort($all);
    return json_encode([$c->getMany($db, 'T', 1, ['a', 'poison']), $all, $c->get($db, 'T', 2, 'a')]);
};
$trigger = [
    'sqlite' => "CREATE TRIGGER mc_332_poison BEFORE INSERT ON mc_332 WHEN NEW.\"key\" = 'poison' "
        . "BEGIN SELECT RAISE(ABORT, 'poison rejected'); END",
    'mysql' => "CREATE TRIGGER mc_332_poison BEFORE INSERT ON mc_332 FOR EACH ROW BEGIN "
        . "IF NEW.`key` = 'poison' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'poison rejected'; END IF; END",
];
$child = '$r = (new Tally\Counter($args[0]))->sync(new Tally\Database($args[1])); echo "not killed: ", json_encode($r);';
foreach (['sqlite', 'mysql'] as $driver) {
    foreach (['after-set-aside', 'before-commit', 'after-commit', 'after-release'] as $fp) {
        echo "-- $driver $fp\n";
        $db = tally_db($driver, 'mc_332');
        tally_sql($driver, 'mc_332', $trigger[$driver]);
        $c->incrementMany('T', 1, ['a' => 2, 'b' => 3, 'poison' => 4]);
        $c->increment('T', 2, 'a', 5);
        $r = tally_child_php($child, ['TALLY_FAILPOINTS' => "$fp=kill"], [$opts, tally_db_options($driver, 'mc_332')]);
        echo "exit $r[exit] signal $r[signal] $r[stdout]$r[stderr]\n";
        echo "keys: ", $keys(), "\n";
        echo "sql: ", implode(', ', tally_sql_rows($driver, 'mc_332')), "\n";
        echo "reads: ", $reads($db), "\n";
        $c->increment('T', 1, 'a', 10);
        tally_raw(['PEXPIRE', $lock, 1], $port);
        usleep(5000);
        $r = $c->sync($db);
        echo "synced=$r[synced] set_aside=$r[set_aside] recovered=$r[recovered] errors=", count($r['errors']), "\n";
        echo "reads: ", $reads($db), "\n";
        echo "sql: ", implode(', ', tally_sql_rows($driver, 'mc_332')), "\n";
        echo "keys: ", $keys(), "\n";
        tally_sql($driver, 'mc_332', 'DROP TRIGGER mc_332_poison');
        echo "retried: ", count($c->retryFailed()), "\n";
        echo tally_report($c->sync($db)), "\n";
        echo "reads: ", $reads($db), "\n";
        echo "sql: ", implode(', ', tally_sql_rows($driver, 'mc_332')), "\n";
        echo "keys: ", $keys(), "\n";
        $db = null;
        tally_db_drop($driver, 'mc_332');
    }
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite after-set-aside
exit -1 signal 9 
keys: {T:1}:c {T:1}:f {T:2}:c {}:sync:lock
sql: 
reads: [{"a":2,"poison":4},{"a":2,"b":3,"poison":4},5]
synced=4 set_aside=0 recovered=2 errors=0
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 5
keys: {T:1}:f
retried: 1
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|1|poison = 4, T|2|a = 5
keys: 
-- sqlite before-commit
exit -1 signal 9 
keys: {T:1}:c {T:1}:f {T:2}:c {}:sync:lock
sql: 
reads: [{"a":2,"poison":4},{"a":2,"b":3,"poison":4},5]
synced=4 set_aside=0 recovered=2 errors=0
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 5
keys: {T:1}:f
retried: 1
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|1|poison = 4, T|2|a = 5
keys: 
-- sqlite after-commit
exit -1 signal 9 
keys: {T:1}:c {T:1}:f {T:2}:c {}:sync:lock
sql: T|1|a = 2, T|1|b = 3, T|2|a = 5
reads: [{"a":2,"poison":4},{"a":2,"b":3,"poison":4},5]
synced=1 set_aside=0 recovered=2 errors=0
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 5
keys: {T:1}:f
retried: 1
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|1|poison = 4, T|2|a = 5
keys: 
-- sqlite after-release
exit -1 signal 9 
keys: {T:1}:f {}:sync:lock
sql: T|1|a = 2, T|1|b = 3, T|2|a = 5
reads: [{"a":2,"poison":4},{"a":2,"b":3,"poison":4},5]
synced=1 set_aside=0 recovered=0 errors=0
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 5
keys: {T:1}:f
retried: 1
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|1|poison = 4, T|2|a = 5
keys: 
-- mysql after-set-aside
exit -1 signal 9 
keys: {T:1}:c {T:1}:f {T:2}:c {}:sync:lock
sql: 
reads: [{"a":2,"poison":4},{"a":2,"b":3,"poison":4},5]
synced=4 set_aside=0 recovered=2 errors=0
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 5
keys: {T:1}:f
retried: 1
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|1|poison = 4, T|2|a = 5
keys: 
-- mysql before-commit
exit -1 signal 9 
keys: {T:1}:c {T:1}:f {T:2}:c {}:sync:lock
sql: 
reads: [{"a":2,"poison":4},{"a":2,"b":3,"poison":4},5]
synced=4 set_aside=0 recovered=2 errors=0
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 5
keys: {T:1}:f
retried: 1
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|1|poison = 4, T|2|a = 5
keys: 
-- mysql after-commit
exit -1 signal 9 
keys: {T:1}:c {T:1}:f {T:2}:c {}:sync:lock
sql: T|1|a = 2, T|1|b = 3, T|2|a = 5
reads: [{"a":2,"poison":4},{"a":2,"b":3,"poison":4},5]
synced=1 set_aside=0 recovered=2 errors=0
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 5
keys: {T:1}:f
retried: 1
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|1|poison = 4, T|2|a = 5
keys: 
-- mysql after-release
exit -1 signal 9 
keys: {T:1}:f {}:sync:lock
sql: T|1|a = 2, T|1|b = 3, T|2|a = 5
reads: [{"a":2,"poison":4},{"a":2,"b":3,"poison":4},5]
synced=1 set_aside=0 recovered=0 errors=0
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|2|a = 5
keys: {T:1}:f
retried: 1
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
reads: [{"a":12,"poison":4},{"a":12,"b":3,"poison":4},5]
sql: T|1|a = 12, T|1|b = 3, T|1|poison = 4, T|2|a = 5
keys: