--TEST--
Two Redis prefixes syncing the same owners into one table: each run's fence is above every prefix's, so a claim's seq is never another prefix's and a killed run's leftover is neither taken as committed (lost) nor applied twice, on SQLite and MariaDB
--SKIPIF--
<?php $needs = ['mysql', 'failpoints']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$a = new Tally\Counter(tally_opts(['prefix' => 'p346a:']));
$b = new Tally\Counter(tally_opts(['prefix' => 'p346b:']));
$child = '$r = (new Tally\Counter($args[0]))->sync(new Tally\Database($args[1])); echo "not killed: ", json_encode($r);';
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_346');
    // Prefix a writes the owner (its first run: fence 1, its first round's seq).
    $a->increment('T', 1, 'x', 1);
    echo tally_report($a->sync($db)), "\n";
    // Prefix b's first run claims the same owner and dies before writing: its leftover must
    // not look committed because of a's row.
    $b->increment('T', 1, 'y', 5);
    $b->increment('T', 1, 'z', 2, ['day'], '2026-12-02');
    $r = tally_child_php($child, ['TALLY_FAILPOINTS' => 'after-claim=kill'], [tally_opts(['prefix' => 'p346b:']), tally_db_options($driver, 'mc_346')]);
    echo "exit $r[exit] signal $r[signal] $r[stdout]$r[stderr]\n";
    tally_raw(['DEL', 'p346b:{}:sync:lock']);
    echo tally_report($b->sync($db)), "\n";
    echo json_encode([$b->get($db, 'T', 1, 'x'), $b->get($db, 'T', 1, 'y'), $b->get($db, 'T', 1, 'z', 'day', '2026-12-02')]), "\n";
    // And a killed run after its commit is not applied again.
    $a->increment('T', 1, 'x', 10);
    $r = tally_child_php($child, ['TALLY_FAILPOINTS' => 'after-commit=kill'], [tally_opts(['prefix' => 'p346a:']), tally_db_options($driver, 'mc_346')]);
    echo "exit $r[exit] signal $r[signal]\n";
    tally_raw(['DEL', 'p346a:{}:sync:lock']);
    echo tally_report($a->sync($db)), "\n";
    echo "sql: ", implode(', ', tally_sql_rows($driver, 'mc_346')), "\n";
    echo "fences: ", implode(' ', array_map(fn ($r) => "$r[0]=$r[1]", tally_sql($driver, 'mc_346', 'SELECT name, fence FROM mc_346_sync ORDER BY name'))), "\n";
    $db = null;
    tally_db_drop($driver, 'mc_346');
}
?>
--EXPECT--
-- sqlite
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
exit -1 signal 9 
synced=2 owners=1 batches=1 skipped=0 recovered=1 locked=false incomplete=false errors=[]
[1,5,2]
exit -1 signal 9
synced=0 owners=0 batches=0 skipped=0 recovered=1 locked=false incomplete=false errors=[]
sql: T|1|x = 11, T|1|y = 5, T|1|z = 2
fences: p346a:=5 p346b:=3
-- mysql
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
exit -1 signal 9 
synced=2 owners=1 batches=1 skipped=0 recovered=1 locked=false incomplete=false errors=[]
[1,5,2]
exit -1 signal 9
synced=0 owners=0 batches=0 skipped=0 recovered=1 locked=false incomplete=false errors=[]
sql: T|1|x = 11, T|1|y = 5, T|1|z = 2
fences: p346a:=5 p346b:=3