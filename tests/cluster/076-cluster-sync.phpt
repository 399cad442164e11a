--TEST--
On a Redis Cluster sync() SCANs every master: owners on all three are synced once (SQLite and MariaDB), the dry run sees them all, a rejected counter is set aside on its master and retried, failed() and ensureTtl() cover every master, and no key is left
--SKIPIF--
<?php $needs = ['cluster', 'mysql']; require __DIR__ . '/../inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$c = new Tally\Counter(tc_opts());
$p = $c->getPrefix();
$masters = array_keys(tc_masters());
$left = function () use ($masters, $p) {
    $n = 0;
    foreach ($masters as $port) $n += count(tc_keys($port, $p));
    return $n;
};
$trigger = [
    'sqlite' => "CREATE TRIGGER mc_076_poison BEFORE INSERT ON mc_076 WHEN NEW.\"key\" = 'poison' "
        . "BEGIN SELECT RAISE(ABORT, 'poison rejected'); END",
    'mysql' => "CREATE TRIGGER mc_076_poison BEFORE INSERT ON mc_076 FOR EACH ROW BEGIN "
        . "IF NEW.`key` = 'poison' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'poison rejected'; END IF; END",
];
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_076');
    $issued = 0;
    for ($i = 1; $i <= 300; $i++) {
        $c->incrementMany('App\User', $i, ['views' => $i, 'likes' => 1]);
        $issued += $i + 1;
    }
    // Owners on every master.
    $per = array_map(fn ($port) => count(tc_keys($port, $p)) > 0, $masters);
    var_dump($per);
    $dry = $c->sync($db, ['dry_run' => true]);
    var_dump($dry['synced'], $dry['owners']);
    $r = $c->sync($db, ['batch_size' => 100]);
    echo tally_report($r), "\n";
    $sum = tally_sql($driver, 'mc_076', 'SELECT COUNT(*), SUM(count) FROM mc_076')[0];
    var_dump((int) $sum[0], (int) $sum[1] === $issued, $left());
    var_dump($c->get($db, 'App\User', 77, 'views'), $c->get($db, 'App\User', 300, 'likes'));

    // A counter the database rejects: set aside on its owner's master, the rest committed.
    tally_sql($driver, 'mc_076', $trigger[$driver]);
    for ($i = 1; $i <= 30; $i++) {
        $c->incrementMany('App\Post', $i, ['ok' => 1, 'poison' => 2]);
    }
    $r = $c->sync($db);
    var_dump($r['synced'], $r['set_aside'], count($r['errors']));   // errors: the first 8 named
    var_dump(count($c->failed()), $c->get($db, 'App\Post', 5, 'poison'), $c->get($db, 'App\Post', 5, 'ok'));
    tally_sql($driver, 'mc_076', 'DROP TRIGGER mc_076_poison');
    var_dump(count($c->retryFailed()));
    echo tally_report($c->sync($db)), "\n";
    var_dump($c->get($db, 'App\Post', 5, 'poison'), count($c->failed()), $left());
    $db = null;
    tally_db_drop($driver, 'mc_076');
}

// ensureTtl(): ephemeral keys on every master get their TTL.
$names = [];
for ($i = 0; $i < 60; $i++) {
    $names[] = "e:$i";
    $c->incrementKey("e:$i");
}
$r = $c->ensureTtl('e:*', 100);
var_dump($r['scanned'], $r['ttl_set']);
$ttls = array_map(fn ($n) => $c->ttl($n), $names);
var_dump(min($ttls) > 0 && max($ttls) <= 100);
var_dump($c->deleteKeys($names), $left());
?>
--EXPECTF--
-- sqlite
array(3) {
  [0]=>
  bool(true)
  [1]=>
  bool(true)
  [2]=>
  bool(true)
}
int(600)
int(300)
synced=600 owners=300 batches=6 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(600)
bool(true)
int(0)
int(77)
int(1)
int(30)
int(30)
int(8)
int(30)
int(2)
int(1)
int(30)
synced=30 owners=30 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(2)
int(0)
int(0)
-- mysql
array(3) {
  [0]=>
  bool(true)
  [1]=>
  bool(true)
  [2]=>
  bool(true)
}
int(600)
int(300)
synced=600 owners=300 batches=6 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(600)
bool(true)
int(0)
int(77)
int(1)
int(30)
int(30)
int(8)
int(30)
int(2)
int(1)
int(30)
synced=30 owners=30 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(2)
int(0)
int(0)
int(60)
int(60)
bool(true)
int(60)
int(0)
