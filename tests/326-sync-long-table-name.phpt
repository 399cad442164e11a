--TEST--
A table name at the 56-byte limit creates its tables, syncs and reads on MariaDB and SQLite; a 49-byte name keeps its index name, a longer one gets a shortened deterministic one
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
$long = 'mc_326_' . str_repeat('x', 49);        // 56 bytes: TALLY_TABLE_MAX
$mid = 'mc_326_' . str_repeat('y', 42);         // 49 bytes: "<table>_counter_unique" is 64
var_dump(strlen($long), strlen($mid));
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    foreach ([$long, $mid] as $table) {
        $db = tally_db($driver, $table);
        $db->createTables();                     // again: IF NOT EXISTS
        $c->increment('App\Models\User', 5, 'downloads', 3);
        // More than one row in a batch, and exactly one chunk.
        for ($i = 0; $i < 1000; $i++) {
            $c->increment('App\Models\Post', $i, 'views', $i + 1);
        }
        echo tally_report($c->sync($db)), "\n";
        var_dump($c->get($db, 'App\Models\User', 5, 'downloads'));
        var_dump($c->getAll($db, 'App\Models\Post', 999));
        $c->increment('App\Models\User', 5, 'downloads', 4);
        echo tally_report($c->sync($db)), "\n";
        var_dump($c->get($db, 'App\Models\User', 5, 'downloads'));
        if ($driver === 'mysql') {
            $idx = tally_sql($driver, $table, "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE "
                . "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '$table' AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY'");
        } else {
            $ddl = tally_sql($driver, $table, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '$table'");
            preg_match('/CONSTRAINT "([^"]+)"/', $ddl[0][0], $m);
            $idx = [[$m[1]]];
        }
        echo str_replace([$long, $mid], ['<long>', '<mid>'], implode(',', array_merge(...$idx))), "\n";
        $db = null;
        tally_db_drop($driver, $table);
    }
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
int(56)
int(49)
-- sqlite
synced=1001 owners=1001 batches=2 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(3)
array(1) {
  ["views"]=>
  int(1000)
}
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(7)
mc_326_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_83cc0a20_unique
synced=1001 owners=1001 batches=2 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(3)
array(1) {
  ["views"]=>
  int(1000)
}
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(7)
<mid>_counter_unique
-- mysql
synced=1001 owners=1001 batches=2 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(3)
array(1) {
  ["views"]=>
  int(1000)
}
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(7)
mc_326_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx_83cc0a20_unique
synced=1001 owners=1001 batches=2 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(3)
array(1) {
  ["views"]=>
  int(1000)
}
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(7)
<mid>_counter_unique