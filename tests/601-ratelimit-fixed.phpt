--TEST--
rateLimit() fixed window: admits exactly limit units per window, a denied attempt consumes nothing, reset and retry_after come from the window's expiry, and the next window starts fresh
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$key = $prefix . '{}:rl:f:api:user:7';
$c->resetRateLimit('api:user:7');

// Three admitted, then denied; the verdict is the whole answer.
for ($i = 0; $i < 5; $i++) {
    $r = $c->rateLimit('api:user:7', 3, 60);
    printf("%s remaining=%d limit=%d reset_ok=%s retry=%d\n", $r['allowed'] ? 'allowed' : 'denied ', $r['remaining'],
        $r['limit'], var_export($r['reset'] >= 59 && $r['reset'] <= 60, true), $r['allowed'] ? $r['retry_after'] : -1);
}
var_dump(array_keys($r));
// The state is one counter holding the admitted units only (denied attempts add nothing),
// expiring with the window.
var_dump(tally_raw(['GET', $key]));
$pttl = tally_raw(['PTTL', $key]);
var_dump($pttl > 58000 && $pttl <= 60000);

// retry_after and reset are the seconds left in the window, rounded up.
tally_raw(['PEXPIRE', $key, 2500]);
$r = $c->rateLimit('api:user:7', 3, 60);
var_dump($r['allowed'], $r['retry_after'], $r['reset']);
var_dump(tally_raw(['GET', $key]));

// The window ends when the counter expires; the next starts with the next admitted unit.
tally_raw(['DEL', $key]);
$r = $c->rateLimit('api:user:7', 3, 60);
var_dump($r['allowed'], $r['remaining'], tally_raw(['GET', $key]));

// Later admitted units never extend the window.
tally_raw(['PEXPIRE', $key, 30000]);
$c->rateLimit('api:user:7', 3, 60);
$pttl = tally_raw(['PTTL', $key]);
var_dump($pttl > 28000 && $pttl <= 30000);

// A counter left without an expiry (written by hand) gets the window at once, even when
// the attempt is denied, so it can never deny forever.
tally_raw(['SET', $key, '3']);
$r = $c->rateLimit('api:user:7', 3, 60);
var_dump($r['allowed'], $r['retry_after'] >= 59);
$pttl = tally_raw(['PTTL', $key]);
var_dump($pttl > 58000 && $pttl <= 60000);

// A lower limit than the units already taken: denied, remaining 0 (never negative).
$r = $c->rateLimit('api:user:7', 2, 60);
var_dump($r['allowed'], $r['remaining'], $r['limit']);

// Names are separate limits; any bytes are fine.
$c->resetRateLimit("ip:::1 {x}\0é");
$r = $c->rateLimit("ip:::1 {x}\0é", 1, 60);
var_dump($r['allowed'], $r['remaining']);
var_dump(tally_raw(['GET', $prefix . "{}:rl:f:ip:::1 {x}\0é"]));
var_dump($c->resetRateLimit('api:user:7'), $c->resetRateLimit("ip:::1 {x}\0é"), $c->resetRateLimit('never'));
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
allowed remaining=2 limit=3 reset_ok=true retry=0
allowed remaining=1 limit=3 reset_ok=true retry=0
allowed remaining=0 limit=3 reset_ok=true retry=0
denied  remaining=0 limit=3 reset_ok=true retry=-1
denied  remaining=0 limit=3 reset_ok=true retry=-1
array(5) {
  [0]=>
  string(7) "allowed"
  [1]=>
  string(5) "limit"
  [2]=>
  string(9) "remaining"
  [3]=>
  string(5) "reset"
  [4]=>
  string(11) "retry_after"
}
string(1) "3"
bool(true)
bool(false)
int(3)
int(3)
string(1) "3"
bool(true)
int(2)
string(1) "1"
bool(true)
bool(false)
bool(true)
bool(true)
bool(false)
int(0)
int(2)
bool(true)
int(0)
string(1) "1"
bool(true)
bool(true)
bool(false)
array(0) {
}
