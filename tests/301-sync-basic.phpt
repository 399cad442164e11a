--TEST--
sync() moves every pending delta of every owner to SQL once: exact report, exact reads afterwards, no Redis keys left, a second run syncs nothing
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
$key = "a:b{c}d é✓";                      // ':' '{' '}' and UTF-8 in a counter key
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_301');
    var_dump($db->getDriver(), $db->getTable());
    $c->increment('App\Models\User', 5, 'downloads', 3);
    $c->increment('App\Models\User', 5, 'downloads', 4);
    $c->increment('App\Models\User', 5, 'views');
    $c->increment('App\Models\User', '01HQ-uuid', $key, 7);
    $c->incrementMany('App\Models\Post', 9, ['likes' => 2, 'shares' => 1]);
    $c->increment('App\Models\Post', 9, 'likes', -5);   // net -3: the count goes negative
    echo tally_report($c->sync($db)), "\n";
    echo implode("\n", tally_sql_rows($driver, 'mc_301')), "\n";
    var_dump(tally_raw_keys($prefix, $port));
    var_dump($c->get($db, 'App\Models\User', 5, 'downloads'));
    var_dump($c->get($db, 'App\Models\User', '01HQ-uuid', $key));
    var_dump($c->get($db, 'App\Models\Post', 9, 'nothing'));
    var_dump($c->getMany($db, 'App\Models\Post', 9, ['shares', 'likes', 'nothing']));
    $all = $c->getAll($db, 'App\Models\User', 5);
    ksort($all);
    var_dump($all);
    // The same owner again: the SQL count grows by the new delta only.
    $c->increment('App\Models\User', '5', 'downloads', 10);
    var_dump($c->get($db, 'App\Models\User', 5, 'downloads'));
    echo tally_report($c->sync($db)), "\n";
    var_dump($c->get($db, 'App\Models\User', 5, 'downloads'));
    echo tally_report($c->sync($db)), "\n";
    var_dump(tally_raw_keys($prefix, $port));
    $db = null;
    tally_db_drop($driver, 'mc_301');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite
string(6) "sqlite"
string(6) "mc_301"
synced=5 owners=3 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
App\Models\Post|9|likes = -3
App\Models\Post|9|shares = 1
App\Models\User|01HQ-uuid|a:b{c}d é✓ = 7
App\Models\User|5|downloads = 7
App\Models\User|5|views = 1
array(0) {
}
int(7)
int(7)
int(0)
array(3) {
  ["shares"]=>
  int(1)
  ["likes"]=>
  int(-3)
  ["nothing"]=>
  int(0)
}
array(2) {
  ["downloads"]=>
  int(7)
  ["views"]=>
  int(1)
}
int(17)
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(17)
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
array(0) {
}
-- mysql
string(5) "mysql"
string(6) "mc_301"
synced=5 owners=3 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
App\Models\Post|9|likes = -3
App\Models\Post|9|shares = 1
App\Models\User|01HQ-uuid|a:b{c}d é✓ = 7
App\Models\User|5|downloads = 7
App\Models\User|5|views = 1
array(0) {
}
int(7)
int(7)
int(0)
array(3) {
  ["shares"]=>
  int(1)
  ["likes"]=>
  int(-3)
  ["nothing"]=>
  int(0)
}
array(2) {
  ["downloads"]=>
  int(7)
  ["views"]=>
  int(1)
}
int(17)
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(17)
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
array(0) {
}
