--TEST--
A batch a few counters short of the full-size upsert goes through it padded with its last counter at delta 0: every counter, new or already stored, the repeated one included, gets exactly its delta, and a batch stops before the owner that would take it past batch_size
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$redis = tally_redis_child();
$c = new Tally\Counter(tally_opts(['port' => $redis['port']]));
// 199 owners x 5 counters = 995 rows, all in one batch: one upsert of 1000 rows, 5 of them
// repeats of whichever counter comes last.
$fill = function (int $round) use ($c) {
    for ($i = 1; $i <= 199; $i++) {
        $c->incrementMany('T', $i, ['a' => $i, 'b' => 2 * $i, 'c' => 3 * $i, 'd' => $round, 'e' => -$i]);
    }
};
$expect = function (int $rounds): array {
    $rows = [];
    for ($i = 1; $i <= 199; $i++) {
        foreach (['a' => $i, 'b' => 2 * $i, 'c' => 3 * $i, 'd' => $rounds * ($rounds + 1) / 2, 'e' => -$i] as $k => $v) {
            $rows["$i|$k"] = (int) ($k === 'd' ? $v : $v * $rounds);
        }
    }
    ksort($rows);
    return $rows;
};
foreach (['sqlite', 'mysql'] as $driver) {
    $db = tally_db($driver, 'mc_353');
    // Round 1 inserts every row; round 2 adds to rows already stored.
    for ($round = 1; $round <= 2; $round++) {
        $fill($round);
        $sizes = [];
        $r = $c->sync($db, ['on_batch' => function (array $rows) use (&$sizes) {
            $sizes[] = count($rows);
        }]);
        $got = [];
        $q = $driver === 'mysql' ? '`' : '"';
        foreach (tally_sql($driver, 'mc_353', "SELECT owner_id, {$q}key{$q}, count FROM mc_353 WHERE owner_type = 'T'") as [$id, $k, $n]) {
            $got["$id|$k"] = (int) $n;
        }
        ksort($got);
        printf("%s round %d: synced=%d batches=%d sizes=%s rows=%d exact=%s\n", $driver, $round, $r['synced'],
            $r['batches'], implode(',', $sizes), count($got), var_export($got === $expect($round), true));
    }
    // 143 owners x 7 counters: the first batch stops at 142 owners (994 counters, padded
    // too), as the next would take it to 1001; the last owner goes in a second batch.
    for ($i = 1; $i <= 143; $i++) $c->incrementMany('U', $i, array_fill_keys(['a', 'b', 'c', 'd', 'e', 'f', 'g'], 1));
    $sizes = [];
    $r = $c->sync($db, ['on_batch' => function (array $rows) use (&$sizes) {
        $sizes[] = count($rows);
    }]);
    [$n, $sum] = tally_sql($driver, 'mc_353', "SELECT COUNT(*), SUM(count) FROM mc_353 WHERE owner_type = 'U'")[0];
    printf("%s 143 owners: synced=%d sizes=%s rows=%d sum=%d\n", $driver, $r['synced'], implode(',', $sizes), $n, $sum);
    $db = null;
    tally_db_drop($driver, 'mc_353');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
sqlite round 1: synced=995 batches=1 sizes=995 rows=995 exact=true
sqlite round 2: synced=995 batches=1 sizes=995 rows=995 exact=true
sqlite 143 owners: synced=1001 sizes=994,7 rows=1001 sum=1001
mysql round 1: synced=995 batches=1 sizes=995 rows=995 exact=true
mysql round 2: synced=995 batches=1 sizes=995 rows=995 exact=true
mysql 143 owners: synced=1001 sizes=994,7 rows=1001 sum=1001
