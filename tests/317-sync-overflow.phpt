--TEST--
A total beyond 64 bits is never wrapped or rounded: exact reads throw Tally\OverflowException, and a sync that would overflow a stored count sets the counter aside (named in the report), leaves the row as it was and loses nothing
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
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_317');
    $row = fn () => tally_sql($driver, 'mc_317', "SELECT count, count = 9223372036854775807 FROM mc_317 WHERE owner_id = '1'")[0];
    $c->increment('T', 1, 'n', PHP_INT_MAX);
    $c->increment('T', 2, 'n', PHP_INT_MIN);
    echo tally_report($c->sync($db)), "\n";
    var_dump($c->get($db, 'T', 1, 'n') === PHP_INT_MAX, $c->get($db, 'T', 2, 'n') === PHP_INT_MIN);
    // Stored + pending beyond the range: reads refuse rather than wrap around.
    $c->increment('T', 1, 'n', 1);
    $c->increment('T', 2, 'n', -1);
    tally_try(fn () => $c->get($db, 'T', 1, 'n'));
    tally_try(fn () => $c->getMany($db, 'T', 1, ['n']));
    tally_try(fn () => $c->getAll($db, 'T', 1));
    tally_try(fn () => $c->get($db, 'T', 2, 'n'));
    // The sync cannot store it: it says so, and the stored row and the delta stay as they were.
    $r = $c->sync($db, ['pattern' => 'T']);
    echo 'synced=', $r['synced'], ' set_aside=', $r['set_aside'], ' errors=', count($r['errors']), "\n";
    var_dump($row());
    // Taking the delta back makes the total representable (and exact) again.
    $c->increment('T', 1, 'n', -1);
    var_dump($c->get($db, 'T', 1, 'n') === PHP_INT_MAX);
    $db = null;
    tally_db_drop($driver, 'mc_317');
    foreach (tally_raw_keys($prefix, $port) as $k) {
        tally_raw(['DEL', $k], $port);
    }
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECTF--
-- sqlite
synced=2 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
bool(true)
bool(true)
Tally\OverflowException: %s
Tally\OverflowException: %s
Tally\OverflowException: %s
Tally\OverflowException: %s
synced=0 set_aside=2 errors=2
array(2) {
  [0]=>
  string(19) "9223372036854775807"
  [1]=>
  string(1) "1"
}
bool(true)
-- mysql
synced=2 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
bool(true)
bool(true)
Tally\OverflowException: %s
Tally\OverflowException: %s
Tally\OverflowException: %s
Tally\OverflowException: %s
synced=0 set_aside=2 errors=2
array(2) {
  [0]=>
  string(19) "9223372036854775807"
  [1]=>
  string(1) "1"
}
bool(true)
