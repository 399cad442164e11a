--TEST--
get(), getMany() and getAll() are exact at every failpoint instant of a run: stored + pending + in flight, a claim already committed never counted twice, with increments still arriving
--SKIPIF--
<?php $needs = ['redis-server', 'mysql', 'failpoints']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$redis = tally_redis_child();
$port = $redis['port'];
$opts = tally_opts(['port' => $port]);
$c = new Tally\Counter($opts);
$prefix = $c->getPrefix();
$child = 'echo implode(" | ", (new Tally\Counter($args[0]))->sync(new Tally\Database($args[1]))["errors"]);';
$names = ['stored', 'both', 'pending', 'neg', 'zero', 'late', 'missing'];
foreach (['sqlite', 'mysql'] as $driver) {
    foreach (['after-claim', 'before-write', 'before-commit', 'after-commit', 'after-release'] as $fp) {
        $db = tally_db($driver, 'mc_314');
        $issued = [];
        $incr = function (int $id, array $deltas) use ($c, &$issued) {
            $c->incrementMany('T', $id, $deltas);
            foreach ($deltas as $k => $n) {
                $issued[$id][$k] = ($issued[$id][$k] ?? 0) + $n;
            }
        };
        // Stored rows first (an earlier run), then pending deltas, some on the same keys.
        $incr(1, ['stored' => 5, 'both' => 7]);
        $c->sync($db);
        $incr(1, ['both' => 3, 'pending' => 4, 'neg' => -2, 'zero' => 0]);
        $incr(2, ['x' => 1]);
        $check = function (string $when) use ($c, $db, $names, &$issued) {
            $bad = [];
            foreach ([1, 2] as $id) {
                $want = $issued[$id];
                $many = $c->getMany($db, 'T', $id, array_merge($names, array_keys($want)));
                foreach ($many as $k => $v) {
                    if ($v !== ($want[$k] ?? 0)) {
                        $bad[] = "getMany T:$id $k=$v, issued " . ($want[$k] ?? 0);
                    }
                }
                $all = array_filter($c->getAll($db, 'T', $id));
                ksort($all);
                $want = array_filter($want);
                ksort($want);
                if ($all !== $want) {
                    $bad[] = "getAll T:$id " . json_encode($all) . ', issued ' . json_encode($want);
                }
                foreach ($want as $k => $n) {
                    if (($v = $c->get($db, 'T', $id, $k)) !== $n) {
                        $bad[] = "get T:$id $k=$v, issued $n";
                    }
                }
            }
            echo str_pad($when, 18), $bad ? implode('; ', $bad) : 'exact', "\n";
        };
        $r = tally_child_php($child, ['TALLY_FAILPOINTS' => "$fp=error"], [$opts, tally_db_options($driver, 'mc_314')]);
        echo "-- $driver $fp: $r[stdout]$r[stderr]\n";
        $check('at the failure');
        // Increments keep arriving while the claim is in flight, to its keys and new ones.
        $incr(1, ['both' => 100, 'late' => 9, 'neg' => -1]);
        $check('with increments');
        $c->sync($db);
        $check('after recovery');
        echo tally_raw_keys($prefix, $port) === [] ? '' : "keys left\n";
        $db = null;
        tally_db_drop($driver, 'mc_314');
    }
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite after-claim: failpoint after-claim
at the failure    exact
with increments   exact
after recovery    exact
-- sqlite before-write: failpoint before-write
at the failure    exact
with increments   exact
after recovery    exact
-- sqlite before-commit: failpoint before-commit
at the failure    exact
with increments   exact
after recovery    exact
-- sqlite after-commit: failpoint after-commit
at the failure    exact
with increments   exact
after recovery    exact
-- sqlite after-release: failpoint after-release
at the failure    exact
with increments   exact
after recovery    exact
-- mysql after-claim: failpoint after-claim
at the failure    exact
with increments   exact
after recovery    exact
-- mysql before-write: failpoint before-write
at the failure    exact
with increments   exact
after recovery    exact
-- mysql before-commit: failpoint before-commit
at the failure    exact
with increments   exact
after recovery    exact
-- mysql after-commit: failpoint after-commit
at the failure    exact
with increments   exact
after recovery    exact
-- mysql after-release: failpoint after-release
at the failure    exact
with increments   exact
after recovery    exact
