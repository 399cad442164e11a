--TEST--
On a Redis Cluster, getForMany() reads owners on every master (one script per slot) exactly as one-owner reads do, top() finds pending owners on every master and topKeys() one owner's keys, and unique counts (PFADD, a range's PFCOUNT, the estimates of closed periods) work on their owner's slot
--SKIPIF--
<?php $needs = ['cluster']; require __DIR__ . '/../inc/skipif.inc'; ?>
--EXTENSIONS--
sqlite3
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$c = new Tally\Counter(tc_opts());
$p = $c->getPrefix();
$db = tally_db('sqlite', 'mc_083');
$ids = range(1, 90);
foreach ($ids as $id) {
    $c->increment('P', $id, 'dl', $id);
}
echo tally_report($c->sync($db)), "\n";
foreach ($ids as $id) {
    $c->increment('P', $id, 'dl', $id % 7 === 0 ? 1000 : 1);
    if ($id % 3 === 0) $c->increment('P', $id, 'views', 2);
}
$masters = array_keys(tc_masters());
$spread = 0;
foreach ($masters as $port) $spread += count(tc_keys($port, $p)) > 0 ? 1 : 0;
echo "masters holding owners: $spread of ", count($masters), "\n";
$many = $c->getForMany($db, 'P', $ids, ['dl', 'views']);
$one = [];
foreach ($ids as $id) $one[$id] = $c->getMany($db, 'P', $id, ['dl', 'views']);
var_dump($many === $one);
echo "sum: ", array_sum(array_column($many, 'dl')), "\n";
echo "top: ", json_encode($c->top($db, 'P', 'dl', 5)), "\n";
echo "top views: ", json_encode(array_slice($c->top($db, 'P', 'views', 100), 0, 3, true)), " of ", count($c->top($db, 'P', 'views', 100)), "\n";
echo "top keys: ", json_encode($c->topKeys($db, 'P', 21, 5)), "\n";

echo "-- unique counts\n";
var_dump($c->addUnique('Post', 1, 'visitors', ['a', 'b', 'c'], ['day', 'month'], '2026-11-30'));
var_dump($c->addUnique('Post', 1, 'visitors', ['a', 'd'], ['day', 'month'], '2026-12-01'));
$c->addUnique('Post', 2, 'visitors', 'x', ['day'], '2026-12-01');
echo $c->uniques('Post', 1, 'visitors', 'day', '2026-11-30'), ' ', $c->uniques('Post', 1, 'visitors', 'month', '2026-11-30'), ' ',
    json_encode($c->uniquesBetween('Post', 1, 'visitors', 'day', '2026-11-30', '2026-12-01')), "\n";
$est = $c->uniqueEstimates(null, '2026-12-02');
usort($est, fn ($a, $b) => [$a['owner_id'], $a['period'], $a['period_start']] <=> [$b['owner_id'], $b['period'], $b['period_start']]);
echo json_encode($est), "\n";

foreach ($ids as $id) $c->forget('P', $id);
$n = 0;
foreach ($masters as $port) {
    foreach (tc_keys($port, $p) as $k) {
        if (str_contains($k, ':u:')) tc_raw(tc_owner(tc_slot($k)), ['DEL', $k]); else $n++;
    }
}
echo "left: $n\n";
$db = null;
tally_db_drop('sqlite', 'mc_083');
?>
--EXPECT--
synced=90 owners=90 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
masters holding owners: 3 of 3
bool(true)
sum: 16173
top: {"84":1084,"77":1077,"70":1070,"63":1063,"56":1056}
top views: {"12":2,"15":2,"18":2} of 30
top keys: {"dl":1021,"views":2}
-- unique counts
bool(true)
bool(true)
3 3 {"count":4,"gone":[]}
[{"owner_type":"Post","owner_id":"1","key":"visitors","period":"day","period_start":"2026-11-30","estimate":3},{"owner_type":"Post","owner_id":"1","key":"visitors","period":"day","period_start":"2026-12-01","estimate":2},{"owner_type":"Post","owner_id":"1","key":"visitors","period":"month","period_start":"2026-11-01","estimate":3},{"owner_type":"Post","owner_id":"2","key":"visitors","period":"day","period_start":"2026-12-01","estimate":1}]
left: 0