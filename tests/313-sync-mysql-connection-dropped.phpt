--TEST--
A MariaDB session killed between two batches is reopened before the next one: the run completes, exactly once
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
$prefix = $c->getPrefix();
$m = tally_mysqli();
$db = tally_db('mysql', 'mc_313');
$issued = [1 => 1, 2 => 2, 3 => 3];
foreach ($issued as $id => $n) {
    $c->increment('T', $id, 'n', $n);
}
$exact = function () use ($c, $db, $issued) {
    foreach ($issued as $id => $n) {
        if (($v = $c->get($db, 'T', $id, 'n')) !== $n) {
            return "T:$id is $v, issued $n";
        }
    }
    return 'exact';
};
// batch_size 1: three batches; after the first, our own session is killed.
$killed = [];
$r = $c->sync($db, ['batch_size' => 1, 'progress' => function () use ($m, &$killed) {
    if (!$killed) {
        $killed = tally_mysql_own_sessions($m);
        foreach ($killed as $id) {
            $m->query("KILL $id");
        }
    }
}]);
echo 'sessions killed: ', count($killed), "\n";
echo tally_report($r), "\n";
echo $exact(), "\n";
echo tally_report($c->sync($db)), "\n";
echo $exact(), "\n";
echo implode("\n", tally_sql_rows('mysql', 'mc_313')), "\n";
var_dump(tally_raw_keys($prefix, $port));
echo 'own sessions now: ', count(tally_mysql_own_sessions($m)), "\n";
$db = null;
tally_db_drop('mysql', 'mc_313');
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECTF--
sessions killed: 1
synced=3 owners=3 batches=3 skipped=0 recovered=0 locked=false incomplete=false errors=[]
exact
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
exact
T|1|n = 1
T|2|n = 2
T|3|n = 3
array(0) {
}
own sessions now: 1
