--TEST--
A prefix owns only its own keys: ensureTtl('*') under 'counter:' leaves the owner counters, claims and lock of the nested prefix 'counter:tenant1:' untouched (42 stays 42), an ephemeral key name cannot reach them, and empty or braced prefixes are refused
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$outer = tally_opts()['prefix'] . 't424:';
$inner = $outer . 'tenant1:';
$a = new Tally\Counter(tally_opts(['prefix' => $outer]));
$b = new Tally\Counter(tally_opts(['prefix' => $inner]));
$b->increment('T', 1, 'views', 42);
tally_raw(['HSET', $inner . '{T:2}:c', 'views', '5']);     // an in-flight claim
tally_raw(['SET', $inner . '{}:sync:lock', 'token']);       // the sync lock
$b->rateLimit('login', 10, 60);
$a->incrementKey('jobs:1', 3);
$r = $a->ensureTtl('*', 100);
unset($r['batches']);
echo json_encode($r), "\n";
var_dump($b->pending('T', 1, 'views'));
foreach (['{T:1}', '{T:2}:c', '{}:sync:lock', '{}:rl:f:login'] as $k) {
    echo $k, ' ttl ', tally_raw(['TTL', $inner . $k]), "\n";
}
// An ephemeral key name never reaches another prefix's owner hash, claim or own keys.
tally_try(fn () => $a->incrementKey('tenant1:{T:1}', 1));
tally_try(fn () => $a->deleteKeys(['tenant1:{T:1}:c']));
tally_try(fn () => $a->getKey('tenant1:{}:sync:lock'));
tally_try(fn () => $a->ensureTtl('tenant1:{*', 100));
var_dump($b->pending('T', 1, 'views'));
// A prefix is not empty (it would reach every key of the database) and has no braces
// (the hash tag is the owner's).
tally_try(fn () => new Tally\Counter(tally_opts(['prefix' => ''])));
tally_try(fn () => new Tally\Counter(tally_opts(['prefix' => 'app:{x}:'])));
tally_try(fn () => new Tally\Counter(tally_opts(['prefix' => 'app}'])));
tally_raw(array_merge(['DEL'], tally_raw_keys($outer)));
?>
--EXPECT--
{"scanned":1,"without_ttl":1,"ttl_set":1,"keys":["jobs:1"]}
int(42)
{T:1} ttl -1
{T:2}:c ttl -1
{}:sync:lock ttl -1
{}:rl:f:login ttl 60
Tally\InvalidArgumentException: ephemeral key must not contain '{' or '}' (they mark owner counters and Tally's own keys)
Tally\InvalidArgumentException: ephemeral key must not contain '{' or '}' (they mark owner counters and Tally's own keys)
Tally\InvalidArgumentException: ephemeral key must not contain '{' or '}' (they mark owner counters and Tally's own keys)
Tally\InvalidArgumentException: pattern must not contain '{' or '}': no ephemeral key does (owner counters and Tally's own keys are never expired)
int(42)
Tally\InvalidArgumentException: option 'prefix' must not be empty: the prefix keeps Tally's keys apart from every other key in the database
Tally\InvalidArgumentException: option 'prefix' must not contain '{' or '}': the hash tag of a key is its owner's
Tally\InvalidArgumentException: option 'prefix' must not contain '{' or '}': the hash tag of a key is its owner's
