--TEST--
ensureTtl() finds the ephemeral keys matching a pattern that have no expiry (SCAN in batches) and gives them one, never changing an expiry already set and never touching owner counters or rate limits; dry_run only reports
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$redis = tally_redis_child();
$port = $redis['port'];
// A prefix with glob characters: it is matched literally.
$c = new Tally\Counter(tally_opts(['port' => $port, 'prefix' => 'app[1]*:', 'read_timeout' => 5.0]));
$other = new Tally\Counter(tally_opts(['port' => $port, 'prefix' => 'app[1]x:']));
$prefix = $c->getPrefix();
// What the seed's manual cleanup looked for: progress and success counters left without
// an expiry (INCR that never got its EXPIRE), next to keys that have one.
for ($i = 1; $i <= 25; $i++) {
    $c->incrementKey("batch_progress:$i");                  // no expiry: a leak
}
$c->incrementKey('batch_progress:99', 1, 500);              // has one: left alone
$c->incrementKey('label_group_success:1');                  // another pattern
$c->increment('batch_progress:*', 1, 'downloads', 5);       // an owner counter: pending delta
$c->rateLimit('batch_progress:1', 5, 60);                   // Tally's own keys
$other->incrementKey('batch_progress:1');                   // another prefix

// Dry run, 10 keys per SCAN page: counts and names, nothing changed.
$r = $c->ensureTtl('batch_progress:*', 3600, ['dry_run' => true, 'batch_size' => 10]);
var_dump($r['scanned'], $r['without_ttl'], $r['ttl_set'], $r['batches'] > 1, count($r['keys']));
sort($r['keys'], SORT_NATURAL);
var_dump($r['keys'][0], $r['keys'][24]);
var_dump($c->ttl('batch_progress:7'));

// For real: each key without an expiry gets the ttl; the one with an expiry keeps it.
$r = $c->ensureTtl('batch_progress:*', 3600, ['batch_size' => 10]);
var_dump($r['scanned'], $r['without_ttl'], $r['ttl_set']);
$t = $c->ttl('batch_progress:7');
var_dump($t > 3500 && $t <= 3600);
$t = $c->ttl('batch_progress:99');
var_dump($t > 400 && $t <= 500);
var_dump($c->ttl('label_group_success:1'));
// The owner counter and the other prefix's key are untouched; the rate limit keeps its window.
var_dump(tally_raw(['TTL', $prefix . '{batch_progress%3A%2A:1}'], $port), $c->pending('batch_progress:*', 1, 'downloads'));
var_dump($other->ttl('batch_progress:1'));
$t = tally_raw(['TTL', $prefix . '{}:rl:f:batch_progress:1'], $port);
var_dump($t > 50 && $t <= 60);
// A second run finds nothing left to do.
$r = $c->ensureTtl('batch_progress:*', 3600);
var_dump($r['without_ttl'], $r['ttl_set'], $r['keys']);
// '*' covers every ephemeral key, still never an owner counter.
$r = $c->ensureTtl('*', 60);
var_dump($r['scanned'], $r['ttl_set'], $r['keys']);
var_dump(tally_raw(['TTL', $prefix . '{batch_progress%3A%2A:1}'], $port));
// An empty keyspace: one page, nothing found.
$r = $c->ensureTtl('nothing:*', 60);
var_dump($r['scanned'], $r['batches']);
tally_redis_child_stop($redis);
?>
--EXPECT--
int(26)
int(25)
int(0)
bool(true)
int(25)
string(16) "batch_progress:1"
string(17) "batch_progress:25"
int(-1)
int(26)
int(25)
int(25)
bool(true)
bool(true)
int(-1)
int(-1)
int(5)
int(-1)
bool(true)
int(0)
int(0)
array(0) {
}
int(27)
int(1)
array(1) {
  [0]=>
  string(21) "label_group_success:1"
}
int(-1)
int(0)
int(1)
