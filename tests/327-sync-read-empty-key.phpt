--TEST--
getAll() returns a stored row whose key is the empty string (written outside Tally) with its exact count next to the owner's other counters; get() refuses an empty key
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
$c = new Tally\Counter(tally_opts(['port' => $redis['port']]));
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_327');
    $q = $driver === 'sqlite' ? '"' : '`';
    $type = $driver === 'sqlite' ? 'App\Models\User' : addslashes('App\Models\User');   // MariaDB unescapes \
    tally_sql($driver, 'mc_327', "INSERT INTO {$q}mc_327{$q} ({$q}owner_type{$q}, {$q}owner_id{$q}, {$q}key{$q}, {$q}count{$q}) "
        . "VALUES ('$type', '5', '', 5), ('$type', '5', 'likes', 2)");
    $c->increment('App\Models\User', 5, 'views', 3);
    $all = $c->getAll($db, 'App\Models\User', 5);
    ksort($all, SORT_STRING);
    var_dump($all);
    var_dump($c->getMany($db, 'App\Models\User', 5, ['views', 'likes']));
    tally_try(fn () => $c->get($db, 'App\Models\User', 5, ''));
    echo tally_report($c->sync($db)), "\n";
    $all = $c->getAll($db, 'App\Models\User', 5);
    ksort($all, SORT_STRING);
    var_dump($all);
    $db = null;
    tally_db_drop($driver, 'mc_327');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite
array(3) {
  [""]=>
  int(5)
  ["likes"]=>
  int(2)
  ["views"]=>
  int(3)
}
array(2) {
  ["views"]=>
  int(3)
  ["likes"]=>
  int(2)
}
Tally\InvalidArgumentException: counter key must not be empty
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
array(3) {
  [""]=>
  int(5)
  ["likes"]=>
  int(2)
  ["views"]=>
  int(3)
}
-- mysql
array(3) {
  [""]=>
  int(5)
  ["likes"]=>
  int(2)
  ["views"]=>
  int(3)
}
array(2) {
  ["views"]=>
  int(3)
  ["likes"]=>
  int(2)
}
Tally\InvalidArgumentException: counter key must not be empty
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
array(3) {
  [""]=>
  int(5)
  ["likes"]=>
  int(2)
  ["views"]=>
  int(3)
}