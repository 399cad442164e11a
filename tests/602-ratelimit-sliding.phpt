--TEST--
rateLimit() sliding window: an exact log with one entry per admitted unit, timed by the server; units leave the window one by one, reset and retry_after say when, denied attempts consume nothing
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$key = $prefix . '{}:rl:s:login:ip:10.0.0.1';
$name = 'login:ip:10.0.0.1';
$c->resetRateLimit($name);
$opt = ['sliding' => true];

/** The server's clock in microseconds. */
function server_us(): int
{
    [$s, $us] = tally_raw(['TIME']);
    return (int) $s * 1000000 + (int) $us;
}
/** Moves a log entry's admission time to $us. */
function age(string $key, string $member, int $us): void
{
    tally_raw(['ZADD', $key, 'XX', (string) $us, $member]);
}

$before = server_us();
for ($i = 0; $i < 5; $i++) {
    $r = $c->rateLimit($name, 3, 60, $opt);
    printf("%s remaining=%d reset=%d retry=%d\n", $r['allowed'] ? 'allowed' : 'denied ', $r['remaining'], $r['reset'],
        $r['retry_after'] > 0 ? 1 : 0);
}
$after = server_us();
// Three entries: unique members "<microseconds>:<seq>" scored by the server's TIME.
$log = tally_raw(['ZRANGE', $key, '0', '-1', 'WITHSCORES']);
var_dump(count($log) / 2);
$ok = true;
for ($i = 0; $i < count($log); $i += 2) {
    $ok = $ok && preg_match('/^(\d+):\d+$/', $log[$i], $m) && $m[1] === $log[$i + 1]
        && (int) $log[$i + 1] >= $before && (int) $log[$i + 1] <= $after;
}
var_dump($ok);
$pttl = tally_raw(['PTTL', $key]);
var_dump($pttl > 58000 && $pttl <= 60000);

// The oldest unit leaves the window first: with it 2.5 s from leaving, a denied attempt
// is told to retry in 3 s (rounded up), and reset says the same.
$now = server_us();
age($key, $log[0], $now - 60000000 + 2500000);
$r = $c->rateLimit($name, 3, 60, $opt);
var_dump($r['allowed'], $r['retry_after'], $r['reset']);
// Once it has left, exactly one unit is free again; the others are still in the window.
age($key, $log[0], $now - 60000000 - 1);
$r = $c->rateLimit($name, 3, 60, $opt);
var_dump($r['allowed'], $r['remaining']);
$r = $c->rateLimit($name, 3, 60, $opt);
var_dump($r['allowed'], tally_raw(['ZCARD', $key]));

// A cost needs that many units to leave: retry_after is when the cost-th oldest leaves.
$log = tally_raw(['ZRANGE', $key, '0', '-1', 'WITHSCORES']);
$now = server_us();
age($key, $log[0], $now - 60000000 + 1000000);
age($key, $log[2], $now - 60000000 + 5500000);
$r = $c->rateLimit($name, 3, 60, $opt + ['cost' => 2]);
var_dump($r['allowed'], $r['retry_after'], $r['reset']);
var_dump(tally_raw(['ZCARD', $key]));

// The log ignores the clock stepping back: an entry from the "future" keeps later members
// unique (same score, next seq) and counts until it leaves.
$c->resetRateLimit($name);
$future = server_us() + 5000000;
tally_raw(['ZADD', $key, (string) $future, sprintf('%d:%012d', $future, 4)]);
$r = $c->rateLimit($name, 10, 60, $opt + ['cost' => 2]);
var_dump($r['allowed'], $r['remaining']);
var_dump(tally_raw(['ZRANGE', $key, '0', '-1']) === array_map(fn ($i) => sprintf('%d:%012d', $future, $i), [4, 5, 6]));
$pttl = tally_raw(['PTTL', $key]);
var_dump($pttl > 60000 && $pttl <= 65000);

// A window far larger than the limit: the log never grows past the limit.
$c->resetRateLimit($name);
for ($i = 0; $i < 50; $i++) {
    $c->rateLimit($name, 20, 3600, $opt + ['cost' => 1 + $i % 3]);
}
var_dump(tally_raw(['ZCARD', $key]));

// Fixed and sliding limits of one name are separate keys; reset forgets both.
$c->rateLimit($name, 5, 60);
var_dump(tally_raw_keys($prefix) === [$prefix . '{}:rl:f:' . $name, $key]);
var_dump($c->resetRateLimit($name));
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
allowed remaining=2 reset=60 retry=0
allowed remaining=1 reset=60 retry=0
allowed remaining=0 reset=60 retry=0
denied  remaining=0 reset=60 retry=1
denied  remaining=0 reset=60 retry=1
int(3)
bool(true)
bool(true)
bool(false)
int(3)
int(3)
bool(true)
int(0)
bool(false)
int(3)
bool(false)
int(6)
int(1)
int(3)
bool(true)
int(7)
bool(true)
bool(true)
int(20)
bool(true)
bool(true)
array(0) {
}
