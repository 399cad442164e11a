--TEST--
The sync's SCAN passes unique counts' HyperLogLogs by (never a pending hash, claim or set-aside hash, also for keys named 'c' and 'f'): it syncs the owner's counters and leaves them as they are; uniqueEstimates() hands out the estimates of closed periods only, by owner type pattern
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$p = $c->getPrefix();
foreach (tally_raw_keys($p) as $k) tally_raw(['DEL', $k]);
$db = tally_db('sqlite', 'mc_704');

$c->increment('post', 1, 'views', 5, ['', 'day'], '2026-03-14');
foreach (['c', 'f', 'visitors'] as $key) {
    $c->addUnique('post', 1, $key, ['a', 'b'], ['day', 'month'], '2026-03-14');
}
$c->addUnique('user', 9, 'logins', [1, 2, 3], ['day'], '2026-03-15');
$c->addUnique('', '', 'site', ['x'], ['week'], '2026-03-16');
echo tally_report($c->sync($db)), "\n";
echo json_encode($c->failed()), "\n";
echo implode("\n", array_map(fn ($r) => implode('|', $r), tally_sql('sqlite', 'mc_704',
    'SELECT owner_type, owner_id, key, period, period_start, count FROM mc_704 ORDER BY key, period'))), "\n";
echo count(tally_raw_keys($p)), " keys left\n";
echo json_encode([$c->uniques('post', 1, 'c', 'day', '2026-03-14'), $c->uniques('post', 1, 'f', 'month', '2026-03-14')]), "\n";

$show = fn (array $rows) => implode("\n", array_map(fn ($r) => implode('|', $r), $rows)) . "\n--\n";
$sorted = function (array $rows) { usort($rows, fn ($a, $b) => [$a['owner_type'], $a['key'], $a['period_start']] <=> [$b['owner_type'], $b['key'], $b['period_start']]); return $rows; };
echo $show($sorted($c->uniqueEstimates(null, '2026-03-15')));
echo $show($sorted($c->uniqueEstimates(null, '2026-03-16')));
echo $show($sorted($c->uniqueEstimates('us*', '2026-04-01')));
echo $show($sorted($c->uniqueEstimates(null, new DateTimeImmutable('2026-04-01'))));
foreach (tally_raw_keys($p) as $k) tally_raw(['DEL', $k]);
echo $show($c->uniqueEstimates(null, '2027-01-01'));
tally_db_drop('sqlite', 'mc_704');
?>
--EXPECT--
synced=2 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
[]
post|1|views||1970-01-01|5
post|1|views|day|2026-03-14|5
8 keys left
[2,2]
post|1|c|day|2026-03-14|2
post|1|f|day|2026-03-14|2
post|1|visitors|day|2026-03-14|2
--
post|1|c|day|2026-03-14|2
post|1|f|day|2026-03-14|2
post|1|visitors|day|2026-03-14|2
user|9|logins|day|2026-03-15|3
--
user|9|logins|day|2026-03-15|3
--
||site|week|2026-03-16|1
post|1|c|month|2026-03-01|2
post|1|c|day|2026-03-14|2
post|1|f|month|2026-03-01|2
post|1|f|day|2026-03-14|2
post|1|visitors|month|2026-03-01|2
post|1|visitors|day|2026-03-14|2
user|9|logins|day|2026-03-15|3
--

--
