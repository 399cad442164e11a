--TEST--
A MariaDB session the server dropped while idle (KILL, wait_timeout, restart) is reopened transparently by the next sync or exact read, as Redis connections are
--SKIPIF--
<?php
$needs = ['redis-server', 'mysql'];
require __DIR__ . '/inc/skipif.inc';
if (!getenv('TALLY_TEST_MYSQL_PORT')) die('skip needs MariaDB over TCP (TALLY_TEST_MYSQL_PORT) to find its own session');
?>
--EXTENSIONS--
mysqlnd
mysqli
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$redis = tally_redis_child();
$port = $redis['port'];
$c = new Tally\Counter(tally_opts(['port' => $port]));
$m = tally_mysqli();
$db = tally_db('mysql', 'mc_316');
$c->increment('T', 1, 'n', 5);
echo tally_report($c->sync($db)), "\n";
// Nothing is under way when the session goes, so nothing can be sent twice by reopening it.
$drop = function () use ($m) {
    $ids = tally_mysql_own_sessions($m);
    foreach ($ids as $id) {
        $m->query("KILL $id");
    }
    usleep(50000);
    return count($ids);
};
echo 'dropped ', $drop(), "\n";
tally_try(fn () => $c->get($db, 'T', 1, 'n'));
echo 'dropped ', $drop(), "\n";
tally_try(fn () => $c->getAll($db, 'T', 1));
echo 'dropped ', $drop(), "\n";
$c->increment('T', 1, 'n', 2);
echo tally_report($c->sync($db)), "\n";
tally_try(fn () => $c->get($db, 'T', 1, 'n'));
$db = null;
tally_db_drop('mysql', 'mc_316');
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
dropped 1
returned: 5
dropped 1
returned: array (
  'n' => 5,
)
dropped 1
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
returned: 7
