--TEST--
An SQLite file deleted while a sync holds a batch open fails that batch instead of committing it into the unlinked file; the counts stay in Redis and the next run writes them to the file then at the path
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$redis = tally_redis_child();
$port = $redis['port'];
$opts = tally_opts(['port' => $port]);
$c = new Tally\Counter($opts);
$prefix = $c->getPrefix();
$db = tally_db('sqlite', 'mc_329');
$path = tally_db_options('sqlite', 'mc_329')['path'];
$c->increment('T', 1, 'n', 5);
echo tally_report($c->sync($db)), "\n";
$c->increment('T', 1, 'n', 7);
$c->increment('T', 2, 'n', 1);
// The run stays 1.5 s between its upsert and its commit; the file is deleted meanwhile.
$child = '$r = (new Tally\Counter($args[0]))->sync(new Tally\Database($args[1])); echo tally_report($r);';
$run = tally_child_php_start($child, ['TALLY_FAILPOINTS' => 'before-commit=sleep:1500'], [$opts, tally_db_options('sqlite', 'mc_329')]);
$deadline = microtime(true) + 10;
while (count(tally_raw_keys($prefix, $port)) < 3 && microtime(true) < $deadline) {
    usleep(2000);   // until the run holds the lock and its 2 claims
}
usleep(500000);
foreach (['', '-wal', '-shm'] as $suffix) {
    @unlink($path . $suffix);
}
$r = tally_child_php_wait($run);
echo $r['stdout'], $r['stderr'], "\n";
// The same Database object finds the new file at the path (reopened): no tables there yet.
tally_try(fn () => $c->sync($db)['errors']);
$db->createTables();
echo tally_report($c->sync($db)), "\n";
var_dump($c->get($db, 'T', 1, 'n'), $c->get($db, 'T', 2, 'n'), tally_raw_keys($prefix, $port));
$db = null;
tally_db_drop('sqlite', 'mc_329');
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECTF--
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
synced=0 owners=2 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[SQLite %s: committing a batch: the database file was deleted or replaced during the sync; nothing was committed]
returned: array (
  0 => 'SQLite %s: taking the sync fence: no such table: mc_329_sync: the table does not exist; create it with Tally\\Database::createTables() or `php artisan migrate`',
)
synced=2 owners=2 batches=1 skipped=0 recovered=2 locked=false incomplete=false errors=[]
int(7)
int(1)
array(0) {
}