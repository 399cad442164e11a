--TEST--
The seed use cases of ephemeral counters: job progress read in one getKeys() call, a success/failure pair, and per-minute rate buckets summed
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();

// Job progress: completed/failed counters that expire two hours after the job's first item.
$job = 'job:import-42:';
$c->deleteKeys([$job . 'completed', $job . 'failed']);
for ($i = 1; $i <= 10; $i++) {
    $c->incrementKey($job . ($i % 4 === 0 ? 'failed' : 'completed'), 1, 7200);
}
var_dump($c->getKeys([$job . 'completed', $job . 'failed', $job . 'total']));
foreach (['completed', 'failed'] as $k) {
    $t = $c->ttl($job . $k);
    var_dump($t > 7100 && $t <= 7200);
}

// A success/failure pair.
$c->deleteKeys(['mail:sent', 'mail:bounced']);
$c->incrementKey('mail:sent', 1, 3600);
$c->incrementKey('mail:sent', 1, 3600);
$c->incrementKey('mail:bounced', 1, 3600);
$c->incrementKey('mail:sent', 1, 3600);
[$ok, $bad] = array_values($c->getKeys(['mail:sent', 'mail:bounced']));
printf("sent %d, bounced %d, success rate %.2f\n", $ok, $bad, $ok / ($ok + $bad));

// Per-minute rate buckets: one key per minute, summed over the last five minutes.
$base = 'rate:api:calls:FAC:';
$now = time();
$buckets = [];
for ($m = 4; $m >= 0; $m--) {
    $buckets[] = $base . date('Y-m-d-H-i', $now - 60 * $m);
}
$c->deleteKeys($buckets);
foreach ([4 => 3, 2 => 10, 0 => 2] as $m => $calls) {
    for ($i = 0; $i < $calls; $i++) {
        $c->incrementKey($base . date('Y-m-d-H-i', $now - 60 * $m), 1, 600);
    }
}
$counts = $c->getKeys($buckets);
var_dump(array_keys($counts) === $buckets);
var_dump(array_values($counts));
var_dump(array_sum($counts));
var_dump((bool) preg_match('/^rate:api:calls:FAC:\d{4}-\d\d-\d\d-\d\d-\d\d$/', $buckets[4]));

var_dump($c->deleteKeys(array_merge([$job . 'completed', $job . 'failed', 'mail:sent', 'mail:bounced'], $buckets)));
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
array(3) {
  ["job:import-42:completed"]=>
  int(8)
  ["job:import-42:failed"]=>
  int(2)
  ["job:import-42:total"]=>
  int(0)
}
bool(true)
bool(true)
sent 3, bounced 1, success rate 0.75
bool(true)
array(5) {
  [0]=>
  int(3)
  [1]=>
  int(0)
  [2]=>
  int(10)
  [3]=>
  int(0)
  [4]=>
  int(2)
}
int(15)
bool(true)
int(7)
array(0) {
}
