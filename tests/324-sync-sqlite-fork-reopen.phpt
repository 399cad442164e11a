--TEST--
SQLite after pcntl_fork(): the child opens its own connection; when it cannot, reads throw Tally\DatabaseException and syncs report an error, naming the file and the reason, and the next call opens it once it can; the parent's connection is untouched
--SKIPIF--
<?php $needs = ['redis', 'pcntl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$dir = sys_get_temp_dir() . '/tally-324-' . getmypid();
@mkdir($dir);
$db = new Tally\Database(['driver' => 'sqlite', 'path' => "$dir/c.sqlite", 'table' => 'mc_324']);
$db->createTables();
$c->forget('T', 1);
$c->increment('T', 1, 'n', 5);
$c->sync($db, ['pattern' => 'T']);
$c->increment('T', 1, 'n', 2);
echo "parent: ", $c->get($db, 'T', 1, 'n'), "\n";

rename($dir, "$dir-moved");     // the parent's open file stays usable; a new open fails
$pid = pcntl_fork();
if ($pid === 0) {
    $show = fn (Throwable $e) => get_class($e) . ': ' . str_replace($dir, 'DIR', $e->getMessage());
    try {
        $v = $c->get($db, 'T', 1, 'n');
    } catch (Throwable $e) {
        $v = $show($e);
    }
    echo "child get: $v\n";
    // A sync reports its errors (nothing is claimed before the database answers).
    echo "child sync: ", str_replace($dir, 'DIR', tally_report($c->sync($db, ['pattern' => 'T']))), "\n";
    rename("$dir-moved", $dir);
    echo "child get: ", $c->get($db, 'T', 1, 'n'), "\n";
    exit(0);
}
pcntl_waitpid($pid, $status);
echo "child exit: ", pcntl_wexitstatus($status), "\n";
echo "parent: ", $c->get($db, 'T', 1, 'n'), "\n";
echo "parent: ", tally_report($c->sync($db, ['pattern' => 'T'])), "\n";
echo "parent: ", $c->get($db, 'T', 1, 'n'), "\n";
$c->forget('T', 1);
$db = null;
@unlink("$dir/c.sqlite");
@unlink("$dir/c.sqlite-wal");
@unlink("$dir/c.sqlite-shm");
@rmdir($dir);
?>
--EXPECT--
parent: 7
child get: Tally\DatabaseException: cannot open SQLite database DIR/c.sqlite: unable to open database file
child sync: synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[cannot open SQLite database DIR/c.sqlite: unable to open database file]
child get: 7
child exit: 0
parent: 7
parent: synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
parent: 7
