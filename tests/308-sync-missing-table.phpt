--TEST--
Against a database without the tables, sync() reports an error saying how to create them and loses nothing, exact reads throw Tally\DatabaseException with the same hint, and createTables() makes it work
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
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
$c = new Tally\Counter(tally_opts(['port' => $port]));
$prefix = $c->getPrefix();
$snapshot = function () use ($prefix, $port) {
    $out = [];
    foreach (tally_raw_keys($prefix, $port) as $k) {
        $out[$k] = tally_raw(['HGETALL', $k], $port);
    }
    return $out;
};
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_308', false);       // no createTables()
    $c->incrementMany('T', 1, ['a' => 2, 'b' => 3]);
    $c->increment('T', 2, 'a', 4);
    $before = $snapshot();
    $r = $c->sync($db);
    echo tally_report($r), "\n";
    var_dump($snapshot() === $before, $c->pendingAll('T', 1));
    tally_try(fn () => $c->get($db, 'T', 1, 'a'));
    tally_try(fn () => $c->getMany($db, 'T', 1, ['a', 'b']));
    tally_try(fn () => $c->getAll($db, 'T', 2));
    $db->createTables();
    $db->createTables();                               // IF NOT EXISTS: a no-op
    var_dump($c->getAll($db, 'T', 1));
    echo tally_report($c->sync($db)), "\n";
    var_dump($c->getMany($db, 'T', 1, ['a', 'b']), $c->get($db, 'T', 2, 'a'));

    // The counters table alone gone (the _sync table is there): the batch fails after the
    // claim, which the next run recovers once the table is back.
    tally_sql($driver, 'mc_308', 'DROP TABLE mc_308');
    $c->increment('T', 1, 'a', 10);
    echo tally_report($c->sync($db)), "\n";
    tally_try(fn () => $c->get($db, 'T', 1, 'a'));
    $db->createTables();
    var_dump($c->get($db, 'T', 1, 'a'));
    echo tally_report($c->sync($db)), "\n";
    var_dump($c->get($db, 'T', 1, 'a'), tally_raw_keys($prefix, $port));
    $db = null;
    tally_db_drop($driver, 'mc_308');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECTF--
-- sqlite
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[SQLite %s/tally-mc_308-%d.sqlite: taking the sync fence: no such table: mc_308_sync: the table does not exist; create it with Tally\Database::createTables() or `php artisan migrate`]
bool(true)
array(2) {
  ["a"]=>
  int(2)
  ["b"]=>
  int(3)
}
Tally\DatabaseException: SQLite %s/tally-mc_308-%d.sqlite: reading counters: no such table: mc_308: the table does not exist; create it with Tally\Database::createTables() or `php artisan migrate`
Tally\DatabaseException: SQLite %s/tally-mc_308-%d.sqlite: reading counters: no such table: mc_308: the table does not exist; create it with Tally\Database::createTables() or `php artisan migrate`
Tally\DatabaseException: SQLite %s/tally-mc_308-%d.sqlite: reading counters: no such table: mc_308: the table does not exist; create it with Tally\Database::createTables() or `php artisan migrate`
array(2) {
  ["a"]=>
  int(2)
  ["b"]=>
  int(3)
}
synced=3 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
array(2) {
  ["a"]=>
  int(2)
  ["b"]=>
  int(3)
}
int(4)
synced=0 owners=1 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[SQLite %s/tally-mc_308-%d.sqlite: preparing the upsert: no such table: mc_308: the table does not exist; create it with Tally\Database::createTables() or `php artisan migrate`]
Tally\DatabaseException: SQLite %s/tally-mc_308-%d.sqlite: reading counters: no such table: mc_308: the table does not exist; create it with Tally\Database::createTables() or `php artisan migrate`
int(10)
synced=1 owners=1 batches=1 skipped=0 recovered=1 locked=false incomplete=false errors=[]
int(10)
array(0) {
}
-- mysql
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[MySQL %s: taking the sync fence: Table '%s.mc_308_sync' doesn't exist: create it with Tally\Database::createTables() or `php artisan migrate`]
bool(true)
array(2) {
  ["a"]=>
  int(2)
  ["b"]=>
  int(3)
}
Tally\DatabaseException: MySQL %s: reading counters: Table '%s.mc_308' doesn't exist: create it with Tally\Database::createTables() or `php artisan migrate`
Tally\DatabaseException: MySQL %s: reading counters: Table '%s.mc_308' doesn't exist: create it with Tally\Database::createTables() or `php artisan migrate`
Tally\DatabaseException: MySQL %s: reading counters: Table '%s.mc_308' doesn't exist: create it with Tally\Database::createTables() or `php artisan migrate`
array(2) {
  ["a"]=>
  int(2)
  ["b"]=>
  int(3)
}
synced=3 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
array(2) {
  ["a"]=>
  int(2)
  ["b"]=>
  int(3)
}
int(4)
synced=0 owners=1 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[MySQL %s: preparing the upsert: Table '%s.mc_308' doesn't exist: create it with Tally\Database::createTables() or `php artisan migrate`]
Tally\DatabaseException: MySQL %s: reading counters: Table '%s.mc_308' doesn't exist: create it with Tally\Database::createTables() or `php artisan migrate`
int(10)
synced=1 owners=1 batches=1 skipped=0 recovered=1 locked=false incomplete=false errors=[]
int(10)
array(0) {
}
