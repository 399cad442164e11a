--TEST--
tally.buffer and tally.buffer_limit (shown in phpinfo) turn buffering on for every Counter; reaching the limit of distinct counters flushes at once
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--INI--
tally.buffer=1
tally.buffer_limit=3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$opts = tally_opts();
$c = new Tally\Counter($opts);
$direct = new Tally\Counter($opts + ['buffer' => false]);
$direct->forget('post', 1);

ob_start();
phpinfo(INFO_MODULES);
preg_match_all('/^tally\.buffer(_limit)? => .*$/m', ob_get_clean(), $m);
echo implode("\n", $m[0]), "\n";

// Coalescing does not grow the buffer: 10 increments of 2 counters stay buffered.
for ($i = 0; $i < 5; $i++) {
    $c->increment('post', 1, 'a');
    $c->increment('post', 1, 'b');
}
var_dump($direct->pendingAll('post', 1));
// The third distinct counter reaches the limit: all three are sent now.
var_dump($c->increment('post', 1, 'c', 7));
$all = $direct->pendingAll('post', 1);
ksort($all);
var_dump($all);
// A per-object limit overrides the ini: 1 sends every increment at once.
$one = new Tally\Counter(['prefix' => $opts['prefix'] . 'one:', 'buffer_limit' => 1] + $opts);
$one->forget('post', 1);
$one->increment('post', 1, 'a', 2);
var_dump((new Tally\Counter(['prefix' => $opts['prefix'] . 'one:', 'buffer' => false] + $opts))->pending('post', 1, 'a'));
$one->forget('post', 1);
$direct->forget('post', 1);
?>
--EXPECT--
tally.buffer => On => On
tally.buffer_limit => 3 => 3
array(0) {
}
int(7)
array(3) {
  ["a"]=>
  int(5)
  ["b"]=>
  int(5)
  ["c"]=>
  int(7)
}
int(2)
