--TEST--
After pcntl_fork() parent and child each send only their own buffered increments: the child discards what it inherited, so totals are exact
--SKIPIF--
<?php $needs = ['redis', 'pcntl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$opts = tally_opts();
$b = new Tally\Counter($opts + ['buffer' => true]);
$direct = new Tally\Counter($opts);
$direct->forget('T', 1);

$b->increment('T', 1, 'before', 10);        // buffered in the parent before the fork
$b->increment('T', 1, 'solo', 7);           // only ever sent by the parent
$pids = [];
for ($k = 0; $k < 3; $k++) {
    $pid = pcntl_fork();
    if ($pid === 0) {
        // The inherited delta is not this process's: invisible here and never sent from here.
        $seen = $b->pending('T', 1, 'solo');
        for ($i = 0; $i < 100; $i++) {
            $b->increment('T', 1, 'child');
            $b->increment('T', 1, 'before');
        }
        $sent = $k === 0 ? $b->flush() : -1;  // child 0 flushes itself, the others at exit
        exit($seen === 0 && ($k !== 0 || $sent === 2) ? 0 : 1);
    }
    $pids[] = $pid;
}
for ($i = 0; $i < 50; $i++) $b->increment('T', 1, 'parent');
$codes = [];
foreach ($pids as $pid) {
    pcntl_waitpid($pid, $status);
    $codes[] = pcntl_wexitstatus($status);
}
echo "children: ", implode(' ', $codes), "\n";
// The parent still holds its own deltas; the children's are in Redis.
echo "buffered here: ", $b->pending('T', 1, 'before') - $direct->pending('T', 1, 'before'), ' ', $b->pending('T', 1, 'solo'), "\n";
var_dump($b->flush());
$all = $direct->pendingAll('T', 1);
ksort($all);
var_dump($all);
$direct->forget('T', 1);
?>
--EXPECT--
children: 0 0 0
buffered here: 10 7
int(3)
array(4) {
  ["before"]=>
  int(310)
  ["child"]=>
  int(300)
  ["parent"]=>
  int(50)
  ["solo"]=>
  int(7)
}
