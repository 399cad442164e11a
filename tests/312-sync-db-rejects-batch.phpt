--TEST--
A row the database rejects (a trigger refusing one counter) is set aside and named while the rest of its batch, its owner's other counters included, commits; nothing is lost or applied twice, however often it is refused, and once the cause is gone retryFailed() and the next run sync it exactly once
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
$prefix = $c->getPrefix();
$keys = fn () => implode(' ', array_map(fn ($k) => substr($k, strlen($prefix)), tally_raw_keys($prefix, $port)));
$trigger = [
    'sqlite' => "CREATE TRIGGER mc_312_poison BEFORE INSERT ON mc_312 WHEN NEW.\"key\" = 'poison' "
        . "BEGIN SELECT RAISE(ABORT, 'poison rejected'); END",
    'mysql' => "CREATE TRIGGER mc_312_poison BEFORE INSERT ON mc_312 FOR EACH ROW BEGIN "
        . "IF NEW.`key` = 'poison' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'poison rejected'; END IF; END",
];
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_312');
    $c->increment('T', 2, 'ok', 1);
    echo tally_report($c->sync($db)), "\n";
    tally_sql($driver, 'mc_312', $trigger[$driver]);
    $c->incrementMany('T', 1, ['ok' => 2, 'poison' => 3]);
    $c->increment('T', 2, 'ok', 4);
    $reads = fn () => json_encode([$c->getMany($db, 'T', 1, ['ok', 'poison']), $c->getAll($db, 'T', 2)]);
    echo tally_report($c->sync($db)), "\n";
    echo implode(', ', tally_sql_rows($driver, 'mc_312')), "\n", $keys(), "\n", $reads(), "\n";
    // Still refused: what arrives for it is set aside too; the rest syncs.
    $c->increment('T', 1, 'ok', 10);
    $c->increment('T', 1, 'poison', 1);
    echo tally_report($c->sync($db)), "\n";
    echo implode(', ', tally_sql_rows($driver, 'mc_312')), "\n", $keys(), "\n", $reads(), "\n";
    tally_sql($driver, 'mc_312', 'DROP TRIGGER mc_312_poison');
    echo json_encode($c->retryFailed()), "\n";
    echo tally_report($c->sync($db)), "\n";
    echo implode(', ', tally_sql_rows($driver, 'mc_312')), "\n", $keys(), "\n", $reads(), "\n";
    $db = null;
    tally_db_drop($driver, 'mc_312');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECTF--
-- sqlite
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
synced=2 set_aside=1 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[counter 'poison' of T #1 (delta 3) set aside, kept in Redis until retried: SQLite %s/tally-mc_312-%d.sqlite: writing a batch: poison rejected]
T|1|ok = 2, T|2|ok = 5
{T:1}:f
[{"ok":2,"poison":3},{"ok":5}]
synced=1 set_aside=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[counter 'poison' of T #1 (delta 1) set aside, kept in Redis until retried: SQLite %s/tally-mc_312-%d.sqlite: writing a batch: poison rejected]
T|1|ok = 12, T|2|ok = 5
{T:1}:f
[{"ok":12,"poison":4},{"ok":5}]
[{"owner_type":"T","owner_id":"1","key":"poison","delta":4,"period":"","period_start":"1970-01-01"}]
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
T|1|ok = 12, T|1|poison = 4, T|2|ok = 5

[{"ok":12,"poison":4},{"ok":5}]
-- mysql
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
synced=2 set_aside=1 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[counter 'poison' of T #1 (delta 3) set aside, kept in Redis until retried: MySQL %s: writing a batch: poison rejected]
T|1|ok = 2, T|2|ok = 5
{T:1}:f
[{"ok":2,"poison":3},{"ok":5}]
synced=1 set_aside=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[counter 'poison' of T #1 (delta 1) set aside, kept in Redis until retried: MySQL %s: writing a batch: poison rejected]
T|1|ok = 12, T|2|ok = 5
{T:1}:f
[{"ok":12,"poison":4},{"ok":5}]
[{"owner_type":"T","owner_id":"1","key":"poison","delta":4,"period":"","period_start":"1970-01-01"}]
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
T|1|ok = 12, T|1|poison = 4, T|2|ok = 5

[{"ok":12,"poison":4},{"ok":5}]