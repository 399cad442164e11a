--TEST--
After pcntl_fork() the child opens its own connection: parent and child count concurrently without crossing replies
--SKIPIF--
<?php $needs = ['redis', 'pcntl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$c->forget('T', 1);
$c->increment('T', 1, 'parent');       // the pooled connection exists before the fork
$n = 300;
$pid = pcntl_fork();
if ($pid === 0) {
    $ok = 0;
    $last = 0;
    for ($i = 0; $i < $n; $i++) {
        $v = $c->increment('T', 1, 'child');
        // Each reply must be ours: a shared socket would hand us the parent's values.
        if ($v === $last + 1) $ok++;
        $last = $v;
        $c->pending('T', 1, 'child') >= $v || $ok--;
    }
    exit($ok === $n ? 0 : 1);
}
$ok = 0;
$last = 1;
for ($i = 0; $i < $n; $i++) {
    $v = $c->increment('T', 1, 'parent');
    if ($v === $last + 1) $ok++;
    $last = $v;
}
pcntl_waitpid($pid, $status);
var_dump(pcntl_wexitstatus($status), $ok === $n);
// The child's exit closed only its own copy: the parent's connection still works.
var_dump($c->pendingAll('T', 1));
$c->forget('T', 1);
?>
--EXPECT--
int(0)
bool(true)
array(2) {
  ["parent"]=>
  int(301)
  ["child"]=>
  int(300)
}
