--TEST--
rateLimit() sliding window: units admitted at one score keep unique members in admission order past nine of them, so none is overwritten and the log holds exactly the units admitted
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$key = $c->getPrefix() . '{}:rl:s:equal';
$c->resetRateLimit('equal');
$opt = ['sliding' => true];
// Eleven units in one call share one score.
$r = $c->rateLimit('equal', 20, 60, $opt + ['cost' => 11]);
var_dump($r['allowed'], $r['remaining'], tally_raw(['ZCARD', $key]));
// Move them ahead of the server's clock, as if it had stepped back: the next units then
// take the newest score too, and their seq must follow the 11th unit's.
[$s] = tally_raw(['TIME']);
$future = (string) (((int) $s + 30) * 1000000);
foreach (tally_raw(['ZRANGE', $key, '0', '-1']) as $m) {
    tally_raw(['ZREM', $key, $m]);
    tally_raw(['ZADD', $key, $future, $future . substr($m, strrpos($m, ':'))]);
}
for ($i = 0; $i < 3; $i++) {
    $r = $c->rateLimit('equal', 20, 60, $opt);
    echo $r['allowed'] ? 'allowed' : 'denied', ' remaining=', $r['remaining'], ' log=', tally_raw(['ZCARD', $key]), "\n";
}
// Members in rank order carry their seq in admission order: 0..13.
$seqs = array_map(fn ($m) => (int) substr($m, strrpos($m, ':') + 1), tally_raw(['ZRANGE', $key, '0', '-1']));
echo implode(' ', $seqs), "\n";
$r = $c->rateLimit('equal', 20, 60, $opt + ['cost' => 6]);
var_dump($r['allowed'], $r['remaining'], tally_raw(['ZCARD', $key]));
$r = $c->rateLimit('equal', 20, 60, $opt);
var_dump($r['allowed'], $r['remaining'], tally_raw(['ZCARD', $key]));
$c->resetRateLimit('equal');
?>
--EXPECT--
bool(true)
int(9)
int(11)
allowed remaining=8 log=12
allowed remaining=7 log=13
allowed remaining=6 log=14
0 1 2 3 4 5 6 7 8 9 10 11 12 13
bool(true)
int(0)
int(20)
bool(false)
int(0)
int(20)
