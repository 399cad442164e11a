--TEST--
addUnique() adds members (a string, an int or a list) to one HyperLogLog per period in the owner's hash tag, returns whether an estimate changed, sets each key's expiry to its period's end plus the grace, and uniques() reads the estimate: exact for a few members, within the documented error for 10,000
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$p = $c->getPrefix();
foreach (tally_raw_keys($p) as $k) tally_raw(['DEL', $k]);

var_dump($c->addUnique('post', 7, 'visitors', ['ann', 'bob', 'cy'], ['day', 'month'], '2026-03-14'));
var_dump($c->addUnique('post', 7, 'visitors', 'ann', ['day', 'month'], '2026-03-14'));
var_dump($c->addUnique('post', 7, 'visitors', 42, ['day'], '2026-03-15'));
echo json_encode([$c->uniques('post', 7, 'visitors', 'day', '2026-03-14'), $c->uniques('post', 7, 'visitors', 'day', '2026-03-15'),
    $c->uniques('post', 7, 'visitors', 'month', '2026-03-31'), $c->uniques('post', 7, 'visitors', 'day', '2026-03-16'),
    $c->uniques('post', '7', 'visitors', 'week', '2026-03-14')]), "\n";
echo implode("\n", tally_raw_keys($p)), "\n";

// The expiry: the period's end plus the grace, counted from the day written for.
$c->addUnique('post', 8, 'v', 'x');
$c->addUnique('post', 8, 'v', 'x', ['month'], '2026-02-10', 3600);
$today = date('Y-m-d');
$ttl = tally_raw(['TTL', "{$p}{post:8}:u:day:$today:v"]);
echo 'day: ', $ttl > 86400 + 172800 - 60 && $ttl <= 86400 + 172800 ? 'one day + 2 days' : $ttl, "\n";
echo 'month: ', tally_raw(['TTL', "{$p}{post:8}:u:month:2026-02-01:v"]), "\n";   // Feb 10 -> Mar 1: 19 days + 1 h
echo 'default period: ', $c->uniques('post', 8, 'v'), "\n";

// Global owner, binary key and members.
$c->addUnique('', '', "k\0:{x}", ["a\0", "a\0", ''], ['year'], '2026-06-01');
echo 'global: ', $c->uniques('', '', "k\0:{x}", 'year', '2026-12-31'), "\n";

// 10,000 distinct members in one call (and again: nothing changes).
$members = array_map(fn ($i) => "visitor-$i", range(1, 10000));
var_dump($c->addUnique('site', 1, 'uv', $members, ['day'], '2026-03-14'));
var_dump($c->addUnique('site', 1, 'uv', $members, ['day'], '2026-03-14'));
$n = $c->uniques('site', 1, 'uv', 'day', '2026-03-14');
echo '10000: ', abs($n - 10000) <= 250 ? 'within 2.5%' : $n, "\n";
foreach (tally_raw_keys($p) as $k) tally_raw(['DEL', $k]);
?>
--EXPECTF--
bool(true)
bool(false)
bool(true)
[3,1,3,0,0]
%s{post:7}:u:day:2026-03-14:visitors
%s{post:7}:u:day:2026-03-15:visitors
%s{post:7}:u:month:2026-03-01:visitors
day: one day + 2 days
month: 1645200
default period: 1
global: 2
bool(true)
bool(false)
10000: within 2.5%
