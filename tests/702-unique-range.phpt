--TEST--
uniquesBetween() is one PFCOUNT over the live HyperLogLogs of a range (a member seen on several days counts once), with the starts of the periods whose HyperLogLog is gone; any day of a period names it
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$p = $c->getPrefix();
foreach (tally_raw_keys($p) as $k) tally_raw(['DEL', $k]);

$c->addUnique('post', 1, 'v', ['a', 'b', 'c'], ['day', 'week'], '2026-03-09');
$c->addUnique('post', 1, 'v', ['b', 'c', 'd'], ['day', 'week'], '2026-03-10');
$c->addUnique('post', 1, 'v', ['e'], ['day', 'week'], '2026-03-16');
$c->addUnique('post', 2, 'v', ['z'], ['day'], '2026-03-10');
echo json_encode($c->uniquesBetween('post', 1, 'v', 'day', '2026-03-09', '2026-03-10')), "\n";
echo json_encode($c->uniquesBetween('post', 1, 'v', 'day', '2026-03-08', '2026-03-11')), "\n";
echo json_encode($c->uniquesBetween('post', 1, 'v', 'day', new DateTimeImmutable('2026-03-10 23:00'), '2026-03-10')), "\n";
echo json_encode($c->uniquesBetween('post', 1, 'v', 'week', '2026-03-11', '2026-03-22')), "\n";
echo json_encode($c->uniquesBetween('post', 1, 'v', 'week', '2026-03-23', '2026-03-29')), "\n";
// The longest range: 1000 periods.
echo json_encode(count($c->uniquesBetween('post', 1, 'v', 'day', '2024-01-01', '2026-09-26')['gone'])), "\n";
foreach (tally_raw_keys($p) as $k) tally_raw(['DEL', $k]);
?>
--EXPECT--
{"count":4,"gone":[]}
{"count":4,"gone":["2026-03-08","2026-03-11"]}
{"count":3,"gone":[]}
{"count":5,"gone":[]}
{"count":0,"gone":["2026-03-23"]}
997
