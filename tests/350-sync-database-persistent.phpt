--TEST--
Tally\Database 'persistent': a freed object's MariaDB session stays open and the next object with the same options takes it (reads and syncs on it, no new session); objects alive at once have a session each and are all kept; other options (another table) get another session; without the option the session closes with the object; SQLite files are kept the same way; a bad value is refused
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$m = tally_mysqli();
$sessions = fn (): int => count(tally_mysql_own_sessions($m));
$opts = tally_db_options('mysql', 'mc_350', ['persistent' => true]);
tally_db('mysql', 'mc_350')->createTables();
echo "before: ", $sessions(), "\n";

$c->increment('T', 1, 'a', 5);
$db = new Tally\Database($opts);
echo tally_report($c->sync($db)), "\n";
$first = tally_mysql_own_sessions($m);
echo "one object: ", count($first), "\n";
$db = null;
echo "freed, kept: ", $sessions(), "\n";
for ($i = 0; $i < 5; $i++) {
    $db = new Tally\Database($opts);
    $c->increment('T', 1, 'a', 1);
    $read = $c->get($db, 'T', 1, 'a');
    $c->sync($db);
    $db = null;
}
echo "five requests later: ", $read, ", sessions ", $sessions(), ", the same one: ", json_encode(tally_mysql_own_sessions($m) === $first), "\n";

$a = new Tally\Database($opts);
$b = new Tally\Database($opts);
echo "two alive: ", $c->get($a, 'T', 1, 'a'), ' ', $c->get($b, 'T', 1, 'a'), ", sessions ", $sessions(), "\n";
$a = $b = null;
echo "both kept: ", $sessions(), "\n";
$other = new Tally\Database(tally_db_options('mysql', 'mc_350b', ['persistent' => true]));
$other->createTables();
echo "another table: ", $sessions(), "\n";
$other = null;
$plain = new Tally\Database(tally_db_options('mysql', 'mc_350'));
echo "not persistent: ", $c->get($plain, 'T', 1, 'a'), ", sessions ", $sessions(), "\n";
$plain = null;
echo "closed with it: ", $sessions(), "\n";

echo "-- sqlite\n";
$lite = tally_db_options('sqlite', 'mc_350', ['persistent' => true]);
$db = new Tally\Database($lite);
$db->createTables();
$c->increment('T', 2, 'b', 3);
echo tally_report($c->sync($db)), "\n";
$db = null;
$db = new Tally\Database($lite);
echo $c->get($db, 'T', 2, 'b'), "\n";
$db = null;

echo "-- errors\n";
tally_try(fn () => new Tally\Database(array_replace($opts, ['persistent' => 'yes'])));
try {
    $c->get(new Tally\Database(array_replace($opts, ['port' => 1, 'connect_timeout' => 0.5])), 'T', 1, 'a');
} catch (Tally\DatabaseException $e) {
    echo get_class($e), ': ', json_encode(str_starts_with($e->getMessage(), 'cannot connect to MySQL at 127.0.0.1:1: ')), "\n";
}
echo "sessions: ", $sessions(), "\n";
$c->forget('T', 1);
$c->forget('T', 2);
tally_db_drop('mysql', 'mc_350');
tally_db_drop('mysql', 'mc_350b');
tally_db_drop('sqlite', 'mc_350');
?>
--EXPECT--
before: 0
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
one object: 1
freed, kept: 1
five requests later: 10, sessions 1, the same one: true
two alive: 10 10, sessions 2
both kept: 2
another table: 3
not persistent: 10, sessions 4
closed with it: 3
-- sqlite
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
3
-- errors
Tally\InvalidArgumentException: option 'persistent' must be of type bool, string given
Tally\DatabaseException: true
sessions: 3