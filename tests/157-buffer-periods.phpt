--TEST--
Buffered increments with periods: each target coalesces on its own, reads by period, history and sum include what is still buffered, pendingAll() lists lifetime counters only, forget() by period drops buffered periods, and a flush writes every target
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$opts = tally_opts();
$b = new Tally\Counter($opts + ['buffer' => true]);
$direct = new Tally\Counter($opts);
$direct->forget('doc', 3);
$db = tally_db('sqlite', 'buf_periods');

$direct->increment('doc', 3, 'dl', 100, ['', 'day'], '2026-12-01');
$direct->sync($db);
var_dump($b->increment('doc', 3, 'dl', 2, ['', 'day', 'month'], '2026-12-02'));
var_dump($b->increment('doc', 3, 'dl', 3, ['', 'day', 'month'], '2026-12-02'));
$b->increment('doc', 3, 'dl', 7, ['day'], '2026-12-01');
echo "redis: ", json_encode($direct->pendingAll('doc', 3)), "\n";
echo "pending: ", json_encode([$b->pending('doc', 3, 'dl'), $b->pending('doc', 3, 'dl', 'day', '2026-12-02'),
    $b->pending('doc', 3, 'dl', 'month', '2026-12-31'), $b->pendingMany('doc', 3, ['dl', 'x'], 'day', '2026-12-01')]), "\n";
echo "pendingAll: ", json_encode($b->pendingAll('doc', 3)), "\n";
echo "exact: ", json_encode([$b->get($db, 'doc', 3, 'dl'), $b->history($db, 'doc', 3, 'dl', 'day', 3, '2026-12-02'),
    $b->sum($db, 'doc', 3, 'dl', 'day'), $b->getAll($db, 'doc', 3)]), "\n";
// forget() of one period kind drops its buffered deltas only.
var_dump($b->forget('doc', 3, 'dl', 'month'));
echo "after forget: ", json_encode([$b->pending('doc', 3, 'dl'), $b->pending('doc', 3, 'dl', 'month', '2026-12-01')]), "\n";
$b->increment('doc', 3, 'dl', 4, ['', 'month'], '2026-12-09');
var_dump($b->flush());
echo "flushed: ", json_encode([$direct->pending('doc', 3, 'dl'), $direct->pending('doc', 3, 'dl', 'day', '2026-12-02'),
    $direct->pending('doc', 3, 'dl', 'day', '2026-12-01'), $direct->pending('doc', 3, 'dl', 'month', '2026-12-01')]), "\n";
echo tally_report($direct->sync($db)), "\n";
echo "synced: ", json_encode([$direct->get($db, 'doc', 3, 'dl'), $direct->history($db, 'doc', 3, 'dl', 'day', 2, '2026-12-02'),
    $direct->get($db, 'doc', 3, 'dl', 'month', '2026-12-01')]), "\n";
$direct->forget('doc', 3);
?>
--EXPECT--
int(2)
int(5)
redis: []
pending: [5,5,5,{"dl":7,"x":0}]
pendingAll: {"dl":5}
exact: [105,{"2026-11-30":0,"2026-12-01":107,"2026-12-02":5},112,{"dl":105}]
int(0)
after forget: [5,0]
int(4)
flushed: [9,5,7,4]
synced=4 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
synced: [109,{"2026-12-01":107,"2026-12-02":5},4]