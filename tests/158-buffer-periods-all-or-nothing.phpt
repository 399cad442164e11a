--TEST--
A flush applies the buffered counters of an owner that carry periods all or nothing (one script): an overflow in one period leaves that owner's lifetime counter, other periods and other keys as they were and names each dropped delta; other owners and plain counters are applied; a server that lost its scripts (NOSCRIPT) still gets them once
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$opts = tally_opts();
$b = new Tally\Counter($opts + ['buffer' => true]);
$direct = new Tally\Counter($opts);
foreach ([4, 5, 6] as $id) $direct->forget('doc', $id);
$hash = $opts['prefix'] . '{doc:4}';

$direct->increment('doc', 4, 'dl', PHP_INT_MAX - 1, ['month'], '2026-12-01');
$direct->increment('doc', 4, 'dl', 10);
$before = tally_raw(['HGETALL', $hash]);
$b->increment('doc', 4, 'dl', 5, ['', 'day', 'month'], '2026-12-02');   // the month would overflow
$b->increment('doc', 4, 'other', 3);
$b->increment('doc', 5, 'dl', 2, ['', 'day'], '2026-12-02');           // another owner with periods
$b->increment('doc', 6, 'plain', 7);                                  // plain counters: HINCRBY
try {
    $b->flush();
} catch (Tally\OverflowException $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}
var_dump(tally_raw(['HGETALL', $hash]) === $before);
echo json_encode([$direct->pending('doc', 4, 'dl'), $direct->pending('doc', 4, 'other'),
    $direct->pending('doc', 4, 'dl', 'day', '2026-12-02'), $direct->pending('doc', 4, 'dl', 'month', '2026-12-01')]), "\n";
echo json_encode([$direct->pending('doc', 5, 'dl'), $direct->pending('doc', 5, 'dl', 'day', '2026-12-02'),
    $direct->pending('doc', 6, 'plain')]), "\n";
var_dump($b->flush());

echo "-- NOSCRIPT\n";
tally_raw(['SCRIPT', 'FLUSH']);
$b->increment('doc', 5, 'dl', 1, ['', 'day'], '2026-12-02');
$b->increment('doc', 5, 'dl', 1, ['', 'day'], '2026-12-02');
$b->decrement('doc', 5, 'likes', PHP_INT_MAX);
$b->decrement('doc', 5, 'likes', 1);                                  // -2^63 coalesced: undone in two steps
var_dump($b->flush());
echo json_encode([$direct->pending('doc', 5, 'dl'), $direct->pending('doc', 5, 'dl', 'day', '2026-12-02'),
    $direct->pending('doc', 5, 'likes')]), "\n";
foreach ([4, 5, 6] as $id) $direct->forget('doc', $id);
?>
--EXPECT--
Tally\OverflowException: flushing buffered increments failed: flushing the 4 buffered deltas of doc #4 (all or nothing: some carry periods): ERR increment or decrement would overflow; 4 counters were not incremented, their buffered deltas are dropped: 'dl' of doc #4 (+5), 'dl' (day 2026-12-02) of doc #4 (+5), 'dl' (month 2026-12-01) of doc #4 (+5), 'other' of doc #4 (+3)
bool(true)
[10,0,0,9223372036854775806]
[2,2,7]
int(0)
-- NOSCRIPT
int(3)
[4,4,-9223372036854775808]