--TEST--
rateLimit() cost: a cost takes that many units or none, cost 0 only looks (allowed = one unit would pass) and writes nothing, for both windows
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
foreach ([false, true] as $sliding) {
    echo $sliding ? "-- sliding\n" : "-- fixed\n";
    $c->resetRateLimit('quota');
    $o = ['sliding' => $sliding];
    $show = function (array $r): void {
        printf("%s remaining=%d retry=%s\n", $r['allowed'] ? 'allowed' : 'denied', $r['remaining'],
            $r['retry_after'] > 0 ? 'yes' : 'no');
    };
    // Looking at an unused limit: allowed, everything remaining, nothing written, reset 0.
    $r = $c->rateLimit('quota', 10, 60, $o + ['cost' => 0]);
    $show($r);
    var_dump($r['reset'], tally_raw_keys($prefix));
    $show($c->rateLimit('quota', 10, 60, $o + ['cost' => 4]));
    $show($c->rateLimit('quota', 10, 60, $o + ['cost' => 5]));
    // 1 left: a cost of 2 is denied and takes nothing, a cost of 1 still passes.
    $show($c->rateLimit('quota', 10, 60, $o + ['cost' => 2]));
    $show($c->rateLimit('quota', 10, 60, $o + ['cost' => 0]));
    $show($c->rateLimit('quota', 10, 60, $o + ['cost' => 1]));
    // Exhausted: looking says no, and still takes nothing.
    $show($c->rateLimit('quota', 10, 60, $o + ['cost' => 0]));
    $show($c->rateLimit('quota', 10, 60, $o + ['cost' => 0]));
    var_dump($sliding ? tally_raw(['ZCARD', $prefix . '{}:rl:s:quota']) : tally_raw(['GET', $prefix . '{}:rl:f:quota']));
    // A cost equal to the whole limit is fine on a fresh window.
    $c->resetRateLimit('quota');
    $show($c->rateLimit('quota', 10, 60, $o + ['cost' => 10]));
    $show($c->rateLimit('quota', 10, 60, $o));
}
$c->resetRateLimit('quota');
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
-- fixed
allowed remaining=10 retry=no
int(0)
array(0) {
}
allowed remaining=6 retry=no
allowed remaining=1 retry=no
denied remaining=1 retry=yes
allowed remaining=1 retry=no
allowed remaining=0 retry=no
denied remaining=0 retry=yes
denied remaining=0 retry=yes
string(2) "10"
allowed remaining=0 retry=no
denied remaining=0 retry=yes
-- sliding
allowed remaining=10 retry=no
int(0)
array(0) {
}
allowed remaining=6 retry=no
allowed remaining=1 retry=no
denied remaining=1 retry=yes
allowed remaining=1 retry=no
allowed remaining=0 retry=no
denied remaining=0 retry=yes
denied remaining=0 retry=yes
int(10)
allowed remaining=0 retry=no
denied remaining=0 retry=yes
array(0) {
}
