--TEST--
SQLite paths that are URIs (file::memory:, file:x?mode=memory, any file:) or too long are refused with InvalidArgumentException, like ':memory:', so no sync can report success into a database that vanishes
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$redis = tally_redis_child();
$c = new Tally\Counter(tally_opts(['port' => $redis['port']]));
$dir = sys_get_temp_dir() . '/tally-328-' . getmypid();
@mkdir($dir);
chdir($dir);
foreach ([':memory:', 'file::memory:', 'file:x?mode=memory', 'file:x?mode=memory&cache=shared', "file:$dir/a.sqlite",
          str_repeat('d/', 300) . 'x.sqlite'] as $path) {
    tally_try(function () use ($c, $path) {
        $db = new Tally\Database(['driver' => 'sqlite', 'path' => $path, 'table' => 'mc_328']);
        $db->createTables();
        $c->increment('T', 1, 'n', 5);
        return [$c->sync($db)['synced'], $c->get($db, 'T', 1, 'n')];
    });
}
// A file whose name starts with "file:" is still reachable as a path.
$db = new Tally\Database(['driver' => 'sqlite', 'path' => './file:b.sqlite', 'table' => 'mc_328']);
$db->createTables();
$c->increment('T', 1, 'n', 5);
echo tally_report($c->sync($db)), "\n";
var_dump($c->get($db, 'T', 1, 'n'), is_file("$dir/file:b.sqlite"));
$db = null;
chdir(sys_get_temp_dir());
exec('rm -rf ' . escapeshellarg($dir));
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECTF--
Tally\InvalidArgumentException: SQLite ':memory:' is private to one connection: use a file, or a PHP sink on your own connection
Tally\InvalidArgumentException: SQLite path 'file::memory:' is a URI: give a plain file path (URI filenames, in-memory ones included, are not accepted; './file:...' names a file)
Tally\InvalidArgumentException: SQLite path 'file:x?mode=memory' is a URI: give a plain file path (URI filenames, in-memory ones included, are not accepted; './file:...' names a file)
Tally\InvalidArgumentException: SQLite path 'file:x?mode=memory&cache=shared' is a URI: give a plain file path (URI filenames, in-memory ones included, are not accepted; './file:...' names a file)
Tally\InvalidArgumentException: SQLite path 'file:%s/a.sqlite' is a URI: give a plain file path (URI filenames, in-memory ones included, are not accepted; './file:...' names a file)
Tally\InvalidArgumentException: SQLite path is 608 bytes long; the maximum is 511
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(5)
bool(true)
