--TEST--
SQLite: a Tally\Database opening a new file while another connection is writing to it waits for the writer (up to busy_timeout) and switches the file to WAL, instead of failing with "database is locked" (SQLite answers such a switch BUSY without waiting)
--EXTENSIONS--
pdo
pdo_sqlite
--SKIPIF--
<?php $needs = ['pcntl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
$path = sys_get_temp_dir() . '/tally-340-' . getmypid() . '.sqlite';
@unlink($path);
touch($path);
$pid = pcntl_fork();
if ($pid === 0) {
    usleep(150000);   // the parent is writing by now
    try {
        $db = new Tally\Database(['driver' => 'sqlite', 'path' => $path, 'table' => 'mc_340', 'busy_timeout' => 5.0]);
        $db->createTables();
        echo "child: tables created\n";
    } catch (Throwable $e) {
        echo 'child: ', get_class($e), ': ', str_replace($path, 'PATH', $e->getMessage()), "\n";
    }
    exit(0);
}
// A writer in the default (rollback journal) mode, holding its write lock for a while.
$pdo = new PDO("sqlite:$path");
$pdo->exec('BEGIN IMMEDIATE');
$pdo->exec('CREATE TABLE w (x INTEGER)');
usleep(600000);
$pdo->exec('COMMIT');
pcntl_waitpid($pid, $status);
$pdo = new PDO("sqlite:$path");   // a fresh connection sees what the file is now
echo 'journal mode: ', $pdo->query('PRAGMA journal_mode')->fetchColumn(), "\n";
echo 'tables: ', implode(' ', $pdo->query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")->fetchAll(PDO::FETCH_COLUMN)), "\n";
$pdo = null;
foreach (['', '-wal', '-shm'] as $s) @unlink($path . $s);
?>
--EXPECT--
child: tables created
journal mode: wal
tables: mc_340 mc_340_sync w
