--TEST--
A failed flush names the first 10 dropped counters and then only how many more and their total delta, so 100,000 dropped counters make a message of a few hundred bytes
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$s = tally_redis_start();
$p = ['port' => $s['port'], 'prefix' => 'p421:', 'connect_timeout' => 0.5, 'read_timeout' => 0.5];
$c = new Tally\Counter($p + ['buffer' => true, 'buffer_limit' => 1000000]);
for ($i = 0; $i < 100000; $i++) {
    $c->increment('user', $i, 'views', $i % 2 ? 3 : -1);
}
tally_redis_stop($s);
try {
    $c->flush();
} catch (Tally\ConnectionException $e) {
    var_dump(strlen($e->getMessage()) < 1024);
    echo preg_replace('/127\.0\.0\.1:\d+/', 'REDIS', $e->getMessage()), "\n";
}
// Exactly 11: the eleventh is counted, not named.
for ($i = 0; $i < 11; $i++) {
    $c->increment('post', 'p' . $i, 'likes', 5);
}
tally_try(fn () => $c->flush());
?>
--EXPECTF--
bool(true)
flushing buffered increments failed: cannot connect to Redis at REDIS: Connection refused; 100000 counters were not incremented, their buffered deltas are dropped: 'views' of user #0 (-1), 'views' of user #1 (+3), 'views' of user #2 (-1), 'views' of user #3 (+3), 'views' of user #4 (-1), 'views' of user #5 (+3), 'views' of user #6 (-1), 'views' of user #7 (+3), 'views' of user #8 (-1), 'views' of user #9 (+3), and 99990 more (total delta of all 100000: +100000)
Tally\ConnectionException: flushing buffered increments failed: cannot connect to Redis at 127.0.0.1:%d: Connection refused; 11 counters were not incremented, their buffered deltas are dropped: 'likes' of post #p0 (+5), 'likes' of post #p1 (+5), 'likes' of post #p2 (+5), 'likes' of post #p3 (+5), 'likes' of post #p4 (+5), 'likes' of post #p5 (+5), 'likes' of post #p6 (+5), 'likes' of post #p7 (+5), 'likes' of post #p8 (+5), 'likes' of post #p9 (+5), and 1 more (total delta of all 11: +55)
