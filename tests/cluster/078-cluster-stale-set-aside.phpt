--TEST--
On a Redis Cluster (where the set-aside script cannot read the lock in another slot) a stale run cannot set a counter aside out of a leftover a newer run has taken over: the newer run re-stamps the claim with its own seq before writing it, the stale run's move is refused, and every delta is counted once
--SKIPIF--
<?php $needs = ['cluster']; require __DIR__ . '/../inc/skipif.inc'; ?>
--EXTENSIONS--
sqlite3
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$opts = tc_opts(['persistent' => false]);
$c = new Tally\Counter($opts);
$p = $c->getPrefix();
$db = tally_db('sqlite', 'mc_078');
$dbo = tally_db_options('sqlite', 'mc_078');
tally_sql('sqlite', 'mc_078', "CREATE TRIGGER mc_078_poison BEFORE INSERT ON mc_078 WHEN NEW.\"key\" = 'poison' "
    . "BEGIN SELECT RAISE(ABORT, 'poison rejected'); END");
$c->incrementMany('T', 1, ['a' => 2, 'poison' => 4]);
$ckey = $p . '{T:1}:c';
$node = tc_owner(tc_slot($ckey));
$child = '$r = (new Tally\Counter($args[0]))->sync(new Tally\Database($args[1]), ["lock_ttl" => $args[2]]);'
    . ' echo json_encode(["synced" => $r["synced"], "set_aside" => $r["set_aside"], "recovered" => $r["recovered"], "errors" => $r["errors"]]);';
// Run A claims T#1, finds 'poison' rejected and stalls before setting it aside, past its lock.
$a = tally_child_php_start($child, ['TALLY_FAILPOINTS' => 'before-set-aside=sleep:3000'], [$opts, $dbo, 1]);
for ($i = 0; $i < 200 && tc_raw($node, ['EXISTS', $ckey]) !== 1; $i++) usleep(10000);
var_dump(tc_raw($node, ['EXISTS', $ckey]));
$seqA = tc_raw($node, ['HGET', $ckey, '']);
usleep(1100000);                                  // A's lock (1 s) is gone
tally_sql('sqlite', 'mc_078', 'DROP TRIGGER mc_078_poison');
// Run B takes over the leftover and stalls before writing it, while A wakes up and tries.
$b = tally_child_php_start($child, ['TALLY_FAILPOINTS' => 'before-write=sleep:2500'], [$opts, $dbo, 60]);
for ($i = 0; $i < 200 && tc_raw($node, ['HGET', $ckey, '']) === $seqA; $i++) usleep(10000);
var_dump(tc_raw($node, ['HGET', $ckey, '']) !== $seqA);   // re-stamped with B's seq
$ra = tally_child_php_wait($a);
$rb = tally_child_php_wait($b);
echo "A: $ra[stdout]$ra[stderr]\n";
echo "B: $rb[stdout]$rb[stderr]\n";
echo implode(', ', tally_sql_rows('sqlite', 'mc_078')), "\n";
var_dump($c->failed(), $c->getAll($db, 'T', 1));
echo tally_report($c->sync($db)), "\n";
echo implode(', ', tally_sql_rows('sqlite', 'mc_078')), "\n";
var_dump(count(tc_keys($node, $p)));
$db = null;
tally_db_drop('sqlite', 'mc_078');
?>
--EXPECTF--
int(1)
bool(true)
A: {"synced":0,"set_aside":0,"recovered":0,"errors":["lost the sync lock (or the claim) before setting counters aside: stopping so that two runs never race; the next run finishes the work"]}
B: {"synced":2,"set_aside":0,"recovered":1,"errors":[]}
T|1|a = 2, T|1|poison = 4
array(0) {
}
array(2) {
  ["a"]=>
  int(2)
  ["poison"]=>
  int(4)
}
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
T|1|a = 2, T|1|poison = 4
int(0)
