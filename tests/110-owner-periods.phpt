--TEST--
Period counters: one increment feeds the listed targets (lifetime '' and periods) in one atomic script, all or nothing on overflow; $at picks the period (a date, a DateTimeInterface in its own time zone, today); reads by period; pendingAll lists lifetime counters only; forget() by period; global counters; bad periods and dates throw and write nothing
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$c->flush();
$raw = function (string $hash) use ($prefix) {
    $r = tally_raw(['HGETALL', $prefix . $hash]);
    $out = [];
    for ($i = 0; $i < count($r); $i += 2) {
        $out[] = addcslashes($r[$i], "\0") . '=' . $r[$i + 1];
    }
    sort($out);
    return implode(' ', $out);
};

// Lifetime + day + ISO week + month + quarter + year of 2026-12-03 (a Thursday).
var_dump($c->increment('Post', 7, 'views', 2, ['', 'day', 'week', 'month', 'quarter', 'year'], '2026-12-03'));
var_dump($c->increment('Post', 7, 'views', 5, ['day', 'month'], '2026-12-04'));
echo $raw('{Post:7}'), "\n";
var_dump($c->pending('Post', 7, 'views'), $c->pending('Post', 7, 'views', ''), $c->pending('Post', 7, 'views', 'day', '2026-12-03'),
         $c->pending('Post', 7, 'views', 'week', '2026-12-06'), $c->pending('Post', 7, 'views', 'month', '2026-12-31'),
         $c->pending('Post', 7, 'views', 'quarter', '2026-11-15'), $c->pending('Post', 7, 'views', 'year', '2026-01-01'),
         $c->pending('Post', 7, 'views', 'week', '2026-12-07'));
echo json_encode($c->pendingMany('Post', 7, ['views', 'none'], 'day', '2026-12-04')), "\n";
echo json_encode($c->pendingAll('Post', 7)), "\n";

// A DateTimeInterface is read in its own time zone: 23:30 UTC on Dec 31 is Jan 1 in Berlin.
$berlin = new DateTimeImmutable('2026-12-31 23:30:00', new DateTimeZone('UTC'));
$c->increment('Post', 7, 'views', 1, ['year'], $berlin->setTimezone(new DateTimeZone('Europe/Berlin')));
$c->increment('Post', 7, 'views', 1, ['year'], $berlin);
var_dump($c->pending('Post', 7, 'views', 'year', '2027-06-01'), $c->pending('Post', 7, 'views', 'year', new DateTime('2026-03-01')));
// null: today in PHP's default time zone.
date_default_timezone_set('UTC');
$c->increment('Post', 8, 'n', 1, ['day']);
var_dump($c->pending('Post', 8, 'n', 'day') === 1, $c->pending('Post', 8, 'n', 'day', gmdate('Y-m-d')) === 1);

// incrementMany: every key into every target, one script; values of the first target.
echo json_encode($c->incrementMany('Post', 9, ['a' => 1, 'b' => 2], ['month', ''], '2026-02-14')), "\n";
echo $raw('{Post:9}'), "\n";

// All or nothing: one target overflowing leaves every target as it was.
$c->increment('Post', 10, 'x', PHP_INT_MAX, ['day'], '2026-12-03');
$c->increment('Post', 10, 'x', 1, [''], '2026-12-03');
tally_try(fn () => $c->increment('Post', 10, 'x', 1, ['', 'day'], '2026-12-03'));
echo $raw('{Post:10}'), "\n";
// ... also for PHP_INT_MIN, which has no negation to undo with.
$c->increment('Post', 10, 'y', 5);
$c->increment('Post', 10, 'y', -1, ['month'], '2026-12-03');
tally_try(fn () => $c->increment('Post', 10, 'y', PHP_INT_MIN, ['', 'month', 'day'], '2026-12-03'));
echo $raw('{Post:10}'), "\n";

// Global counters: owner type and id both empty.
$c->increment('', '', 'signups', 3, ['', 'month'], '2026-12-03');
echo $raw('{:}'), "\n";
var_dump($c->pending('', '', 'signups', 'month', '2026-12-01'));

// forget(): one period kind of a key, its lifetime only, or all of it.
var_dump($c->forget('Post', 7, 'views', 'day'));
echo $raw('{Post:7}'), "\n";
var_dump($c->forget('Post', 7, 'views', ''));
echo $raw('{Post:7}'), "\n";
var_dump($c->forget('Post', 7, 'views'));
echo "[", $raw('{Post:7}'), "]\n";

// Bad input: typed exceptions, nothing written.
$before = $raw('{Post:11}');
tally_try(fn () => $c->increment('Post', 11, 'x', 1, ['fortnight'], '2026-12-03'));
tally_try(fn () => $c->increment('Post', 11, 'x', 1, ['day', 'day'], '2026-12-03'));
tally_try(fn () => $c->increment('Post', 11, 'x', 1, [1], '2026-12-03'));
tally_try(fn () => $c->increment('Post', 11, 'x', 1, ['day'], '2026-02-30'));
tally_try(fn () => $c->increment('Post', 11, 'x', 1, ['day'], '1969-12-31'));
tally_try(fn () => $c->increment('Post', 11, 'x', 1, ['day'], 20261203));
tally_try(fn () => $c->increment('Post', 11, 'x', 1, [], 'yesterday'));
tally_try(fn () => $c->increment('Post', 11, 'x', 1, ['', 'day', 'week', 'month', 'quarter', 'year', 'day']));
tally_try(fn () => $c->pending('Post', 11, 'x', 'hour'));
tally_try(fn () => $c->forget('Post', 11, 'x', 'hour'));
tally_try(fn () => $c->increment('', 11, 'x', 1));
tally_try(fn () => $c->increment('Post', '', 'x', 1));
var_dump($raw('{Post:11}') === $before && $before === '');
// A server that lost its scripts (SCRIPT FLUSH): NOSCRIPT, then the increment runs once by EVAL.
tally_raw(['SCRIPT', 'FLUSH']);
var_dump($c->increment('Post', 10, 'sf', 3, ['', 'day'], '2026-12-04'), $c->increment('Post', 10, 'sf', 1, ['', 'day'], '2026-12-04'),
    $c->pending('Post', 10, 'sf', 'day', '2026-12-04'), $c->pending('Post', 10, 'sf'));
foreach ([7, 8, 9, 10] as $id) {
    $c->forget('Post', $id);
}
$c->forget('', '');
?>
--EXPECT--
int(2)
int(5)
\000d20261203views=2 \000d20261204views=5 \000m20261201views=7 \000q20261001views=2 \000w20261130views=2 \000y20260101views=2 views=2
int(2)
int(2)
int(2)
int(2)
int(7)
int(2)
int(2)
int(0)
{"views":5,"none":0}
{"views":2}
int(1)
int(3)
bool(true)
bool(true)
{"a":1,"b":2}
\000m20260201a=1 \000m20260201b=2 a=1 b=2
Tally\OverflowException: incrementing counter 'x' of Post #10: ERR increment or decrement would overflow
\000d20261203x=9223372036854775807 x=1
Tally\OverflowException: incrementing counter 'y' of Post #10: ERR increment or decrement would overflow
\000d20261203x=9223372036854775807 \000m20261201y=-1 x=1 y=5
\000m20261201signups=3 signups=3
int(3)
int(2)
\000m20261201views=7 \000q20261001views=2 \000w20261130views=2 \000y20260101views=3 \000y20270101views=1 views=2
int(1)
\000m20261201views=7 \000q20261001views=2 \000w20261130views=2 \000y20260101views=3 \000y20270101views=1
int(5)
[]
Tally\InvalidArgumentException: each of periods must be null, '' (the lifetime counter), 'day', 'week', 'month', 'quarter' or 'year', got 'fortnight'
Tally\InvalidArgumentException: periods lists 'day' twice
Tally\InvalidArgumentException: periods must be a list of period names, found int
Tally\InvalidArgumentException: at must be a date 'Y-m-d' from 1970-01-01 to 9999-12-31, got '2026-02-30'
Tally\InvalidArgumentException: at must be a date 'Y-m-d' from 1970-01-01 to 9999-12-31, got '1969-12-31'
Tally\InvalidArgumentException: at must be null, a DateTimeInterface or a 'Y-m-d' string, int given
Tally\InvalidArgumentException: at must be a date 'Y-m-d' from 1970-01-01 to 9999-12-31, got 'yesterday'
Tally\InvalidArgumentException: periods may name the lifetime counter ('') and each period once: at most 6 names
Tally\InvalidArgumentException: period must be null, '' (the lifetime counter), 'day', 'week', 'month', 'quarter' or 'year', got 'hour'
Tally\InvalidArgumentException: period must be null, '' (the lifetime counter), 'day', 'week', 'month', 'quarter' or 'year', got 'hour'
Tally\InvalidArgumentException: owner type must not be empty (a global counter has an empty owner type AND an empty owner id)
Tally\InvalidArgumentException: owner id must not be empty (a global counter has an empty owner type AND an empty owner id)
bool(true)
int(3)
int(4)
int(4)
int(4)
