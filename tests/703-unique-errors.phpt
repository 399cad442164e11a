--TEST--
Bad input to the unique counts throws Tally\InvalidArgumentException naming the problem and sends nothing: unknown or lifetime periods, no members, members of another type, bad dates, from after to, ranges over 1000 periods, a grace out of range; a key of another type is a Tally\WrongTypeException
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$p = $c->getPrefix();
foreach (tally_raw_keys($p) as $k) tally_raw(['DEL', $k]);
$cases = [
    fn () => $c->addUnique('post', 1, 'v', 'a', ['hour']),
    fn () => $c->addUnique('post', 1, 'v', 'a', ['']),
    fn () => $c->addUnique('post', 1, 'v', 'a', []),
    fn () => $c->addUnique('post', 1, 'v', 'a', ['day', 'day']),
    fn () => $c->addUnique('post', 1, 'v', []),
    fn () => $c->addUnique('post', 1, 'v', ['a', 1.5]),
    fn () => $c->addUnique('post', 1, 'v', 1.5),
    fn () => $c->addUnique('post', 1, 'v', 'a', ['day'], '2026-02-30'),
    fn () => $c->addUnique('post', 1, 'v', 'a', ['day'], null, -1),
    fn () => $c->addUnique('post', 1, 'v', 'a', ['day'], null, 366 * 86400 + 1),
    fn () => $c->addUnique('post', 1, '', 'a'),
    fn () => $c->addUnique('post', '', 'v', 'a'),
    fn () => $c->uniques('post', 1, 'v', 'lifetime'),
    fn () => $c->uniques('post', 1, 'v', ''),
    fn () => $c->uniquesBetween('post', 1, 'v', 'day', '2026-03-10', '2026-03-09'),
    fn () => $c->uniquesBetween('post', 1, 'v', 'day', '2024-01-01', '2026-09-27'),
    fn () => $c->uniquesBetween('post', 1, 'v', 'decade', '2024-01-01', '2026-09-27'),
    fn () => $c->uniquesBetween('post', 1, 'v', 'day', 'yesterday', '2026-09-27'),
    fn () => $c->uniqueEstimates(''),
    fn () => $c->uniqueEstimates(null, '2026-13-01'),
];
foreach ($cases as $f) tally_try($f);
echo "keys: ", count(tally_raw_keys($p)), "\n";
tally_raw(['SET', "{$p}{post:1}:u:day:2026-03-10:v", 'not an hll']);
tally_try(fn () => $c->addUnique('post', 1, 'v', 'a', ['day'], '2026-03-10'));
tally_try(fn () => $c->uniques('post', 1, 'v', 'day', '2026-03-10'));
tally_try(fn () => $c->uniquesBetween('post', 1, 'v', 'day', '2026-03-10', '2026-03-10'));
foreach (tally_raw_keys($p) as $k) tally_raw(['DEL', $k]);
?>
--EXPECTF--
Tally\InvalidArgumentException: each of periods must be 'day', 'week', 'month', 'quarter' or 'year', got 'hour'
Tally\InvalidArgumentException: each of periods must be 'day', 'week', 'month', 'quarter' or 'year': a unique count is kept per period, never for a lifetime
Tally\InvalidArgumentException: periods must name at least one period: 'day', 'week', 'month', 'quarter' or 'year'
Tally\InvalidArgumentException: periods lists 'day' twice
Tally\InvalidArgumentException: members must list 1 to 1000000 members, 0 given
Tally\InvalidArgumentException: members must be strings or ints, float found at position 1
Tally\InvalidArgumentException: members must be a string, an int or a list of them, float given
Tally\InvalidArgumentException: at must be a date 'Y-m-d' from 1970-01-01 to 9999-12-31, got '2026-02-30'
Tally\InvalidArgumentException: grace must be 0 to 31622400 seconds, -1 given
Tally\InvalidArgumentException: grace must be 0 to 31622400 seconds, 31622401 given
Tally\InvalidArgumentException: counter key must not be empty
Tally\InvalidArgumentException: owner id must not be empty (a global counter has an empty owner type AND an empty owner id)
Tally\InvalidArgumentException: period must be 'day', 'week', 'month', 'quarter' or 'year', got 'lifetime'
Tally\InvalidArgumentException: period must be 'day', 'week', 'month', 'quarter' or 'year', got ''
Tally\InvalidArgumentException: from (2026-03-10) is after to (2026-03-09)
Tally\InvalidArgumentException: from and to span 1001 day periods; a range of unique counts spans at most 1000
Tally\InvalidArgumentException: period must be 'day', 'week', 'month', 'quarter' or 'year', got 'decade'
Tally\InvalidArgumentException: from must be a date 'Y-m-d' from 1970-01-01 to 9999-12-31, got 'yesterday'
Tally\InvalidArgumentException: pattern must not be empty (null or '*' matches every owner type)
Tally\InvalidArgumentException: today must be a date 'Y-m-d' from 1970-01-01 to 9999-12-31, got '2026-13-01'
keys: 0
Tally\WrongTypeException: adding to the unique count 'v': WRONGTYPE Key is not a valid HyperLogLog string value. script: %s
Tally\WrongTypeException: reading the unique count 'v': WRONGTYPE Key is not a valid HyperLogLog string value.
Tally\WrongTypeException: reading the unique count 'v': WRONGTYPE Key is not a valid HyperLogLog string value. script: %s
