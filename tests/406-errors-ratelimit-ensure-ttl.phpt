--TEST--
Bad rate limits (zero, negative or absurd limits, windows and costs, empty or too long names, unknown options) and bad ensureTtl() patterns, ttls and batch sizes throw Tally\InvalidArgumentException, and nothing is written
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$c->incrementKey('leak');                       // no expiry: ensureTtl() must not touch it below
$s = ['sliding' => true];
// Limits: 1 to 10^15 (fixed), 1 to 100000 (sliding: one log entry per unit).
tally_try(fn() => $c->rateLimit('n', 0, 60));
tally_try(fn() => $c->rateLimit('n', -5, 60));
tally_try(fn() => $c->rateLimit('n', PHP_INT_MAX, 60));
tally_try(fn() => $c->rateLimit('n', 1000000000000001, 60));
tally_try(fn() => $c->rateLimit('n', 0, 60, $s));
tally_try(fn() => $c->rateLimit('n', 100001, 60, $s));
// Windows: 1 second to ten years.
tally_try(fn() => $c->rateLimit('n', 10, 0));
tally_try(fn() => $c->rateLimit('n', 10, -1, $s));
tally_try(fn() => $c->rateLimit('n', 10, 315360001));
// Costs: 0 (only look) to the limit.
tally_try(fn() => $c->rateLimit('n', 10, 60, ['cost' => -1]));
tally_try(fn() => $c->rateLimit('n', 10, 60, ['cost' => 11] + $s));
tally_try(fn() => $c->rateLimit('n', 10, 60, ['cost' => '1']));
// Names: 1 to max_key_length bytes.
tally_try(fn() => $c->rateLimit('', 10, 60));
tally_try(fn() => $c->rateLimit(str_repeat('n', 101), 10, 60, $s));
tally_try(fn() => $c->resetRateLimit(''));
// Options.
tally_try(fn() => $c->rateLimit('n', 10, 60, ['slidng' => true]));
tally_try(fn() => $c->rateLimit('n', 10, 60, ['sliding' => 1]));
tally_try(fn() => $c->rateLimit('n', 10, 60, [true]));
tally_try(fn() => $c->rateLimit('n', 10, 60, ['cost' => 1, 'sliding' => 'yes']));
// ensureTtl(): a pattern (never one reaching Tally's own keys), a ttl, a batch size.
tally_try(fn() => $c->ensureTtl('', 60));
tally_try(fn() => $c->ensureTtl('{*', 60));
tally_try(fn() => $c->ensureTtl('*', 0));
tally_try(fn() => $c->ensureTtl('*', -1));
tally_try(fn() => $c->ensureTtl('*', 315360001));
tally_try(fn() => $c->ensureTtl('*', 60, ['batch_size' => 0]));
tally_try(fn() => $c->ensureTtl('*', 60, ['batch_size' => 100001]));
tally_try(fn() => $c->ensureTtl('*', 60, ['dry_run' => 'no']));
tally_try(fn() => $c->ensureTtl('*', 60, ['dryrun' => true]));
tally_try(fn() => $c->ensureTtl(str_repeat('*', 65537), 60));
// Nothing was written: only the key made above, still without an expiry.
var_dump(tally_raw_keys($prefix) === [$prefix . 'leak'], $c->ttl('leak'));
$c->deleteKeys(['leak']);
?>
--EXPECT--
Tally\InvalidArgumentException: limit must be between 1 and 1000000000000000, 0 given
Tally\InvalidArgumentException: limit must be between 1 and 1000000000000000, -5 given
Tally\InvalidArgumentException: limit must be between 1 and 1000000000000000, 9223372036854775807 given
Tally\InvalidArgumentException: limit must be between 1 and 1000000000000000, 1000000000000001 given
Tally\InvalidArgumentException: limit must be between 1 and 100000, 0 given
Tally\InvalidArgumentException: limit must be between 1 and 100000 for a sliding window (it keeps one entry per admitted unit), 100001 given; use a fixed window for larger limits
Tally\InvalidArgumentException: window must be between 1 and 315360000 seconds, 0 given
Tally\InvalidArgumentException: window must be between 1 and 315360000 seconds, -1 given
Tally\InvalidArgumentException: window must be between 1 and 315360000 seconds, 315360001 given
Tally\InvalidArgumentException: cost must be between 0 (only look) and the limit 10, -1 given
Tally\InvalidArgumentException: cost must be between 0 (only look) and the limit 10, 11 given
Tally\InvalidArgumentException: option 'cost' must be of type int, string given
Tally\InvalidArgumentException: rate limit name must not be empty
Tally\InvalidArgumentException: rate limit name is 101 bytes long; the maximum is 100
Tally\InvalidArgumentException: rate limit name must not be empty
Tally\InvalidArgumentException: unknown rate limit option 'slidng'; valid options are: sliding, cost
Tally\InvalidArgumentException: option 'sliding' must be of type bool, int given
Tally\InvalidArgumentException: rate limit option names must be strings, got the integer key 0
Tally\InvalidArgumentException: option 'sliding' must be of type bool, string given
Tally\InvalidArgumentException: pattern must not be empty ('*' matches every ephemeral key)
Tally\InvalidArgumentException: pattern must not contain '{' or '}': no ephemeral key does (owner counters and Tally's own keys are never expired)
Tally\InvalidArgumentException: ttl must be between 1 and 315360000 seconds, 0 given
Tally\InvalidArgumentException: ttl must be between 1 and 315360000 seconds, -1 given
Tally\InvalidArgumentException: ttl must be between 1 and 315360000 seconds, 315360001 given
Tally\InvalidArgumentException: option 'batch_size' must be between 1 and 100000, 0 given
Tally\InvalidArgumentException: option 'batch_size' must be between 1 and 100000, 100001 given
Tally\InvalidArgumentException: option 'dry_run' must be of type bool, string given
Tally\InvalidArgumentException: unknown ensureTtl option 'dryrun'; valid options are: dry_run, batch_size
Tally\InvalidArgumentException: pattern is 65537 bytes long; the maximum is 65536
bool(true)
int(-1)
