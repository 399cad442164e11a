--TEST--
A flush that fails throws the typed exception naming every dropped counter and delta (rejected, unreachable, reply lost); nothing is retried or sent twice; at request end the same report is a warning
--SKIPIF--
<?php $needs = ['redis', 'redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$opts = tally_opts();
$b = new Tally\Counter($opts + ['buffer' => true]);
$direct = new Tally\Counter($opts);
$direct->forget('user', 8);
tally_raw(['SET', $opts['prefix'] . '{user:9}', 'not a hash']);

echo "-- rejected by Redis: the others are applied\n";
$b->increment('user', 9, 'a', 2);
$b->increment('user', 8, 'ok');
$b->decrement('user', 9, 'b', 3);
try {
    $b->flush();
} catch (Tally\WrongTypeException $e) {
    echo get_class($e), ' (code ', $e->getCode(), "): ", $e->getMessage(), "\n";
}
var_dump($direct->pending('user', 8, 'ok'), $b->flush());

echo "-- the same at request end: a warning\n";
$r = tally_child_php('$c = new Tally\Counter(["prefix" => $args[0], "buffer" => true] + tally_opts());
$c->increment("user", 9, "a", 4); $c->increment("user", 8, "ok", 10); echo "done\n";', [], [$opts['prefix']]);
echo trim($r['stdout']), ' | ', trim($r['stderr']), "\n";
var_dump($direct->pending('user', 8, 'ok'));

echo "-- Redis unreachable: nothing was sent\n";
$s = tally_redis_start();
$p = ['port' => $s['port'], 'prefix' => 'p:', 'connect_timeout' => 0.5, 'read_timeout' => 0.5];
$c = new Tally\Counter($p + ['buffer' => true]);
$c->increment('user', 1, 'views', 3);
tally_redis_stop($s);
tally_try(fn () => $c->flush());
$s = tally_redis_start([], $s['port']);
var_dump($c->flush());    // dropped, not kept for a retry

echo "-- the reply is lost: applied or not, it is never sent again\n";
$c->increment('user', 1, 'views', 5);
tally_raw(['CLIENT', 'PAUSE', '1500', 'WRITE'], $s['port']);
tally_try(fn () => $c->flush());
usleep(1600000);
$v = (new Tally\Counter($p))->pending('user', 1, 'views');
var_dump($v === 0 || $v === 5, $c->flush());   // 0 when Redis dropped the closed client's command

echo "-- unreachable at request end: a warning naming the counts\n";
$r = tally_child_php('$c = new Tally\Counter($args[0] + ["buffer" => true]);
$c->increment("user", 1, "views", 7); $c->increment("post", "abc", "likes", -1);
exec("kill " . $args[1]); while (file_exists("/proc/" . $args[1])) usleep(10000);', [], [$p, $s['pid']]);
echo trim($r['stderr']), "\n";
tally_redis_stop($s);
tally_raw(['DEL', $opts['prefix'] . '{user:9}']);
$direct->forget('user', 8);
?>
--EXPECTF--
-- rejected by Redis: the others are applied
Tally\WrongTypeException (code 6): flushing buffered increments failed: flushing the buffered delta 2 of counter 'a' of user #9: WRONGTYPE Operation against a key holding the wrong kind of value; 2 counters were not incremented, their buffered deltas are dropped: 'a' of user #9 (+2), 'b' of user #9 (-3)
int(1)
int(0)
-- the same at request end: a warning
done | Warning: PHP Request Shutdown: Tally\Counter: flushing buffered increments failed: flushing the buffered delta 4 of counter 'a' of user #9: WRONGTYPE Operation against a key holding the wrong kind of value; 1 counter was not incremented, its buffered delta is dropped: 'a' of user #9 (+4) in Unknown on line 0
int(11)
-- Redis unreachable: nothing was sent
Tally\ConnectionException: flushing buffered increments failed: cannot connect to Redis at 127.0.0.1:%d: Connection refused; 1 counter was not incremented, its buffered delta is dropped: 'views' of user #1 (+3)
int(0)
-- the reply is lost: applied or not, it is never sent again
Tally\ConnectionException: flushing buffered increments failed: Redis at 127.0.0.1:%d did not answer HINCRBY within 0.5 s (read_timeout); 1 counter's increments may or may not have been applied (the reply was lost) and are not sent again: 'views' of user #1 (+5)
bool(true)
int(0)
-- unreachable at request end: a warning naming the counts
Warning: PHP Request Shutdown: Tally\Counter: flushing buffered increments failed: cannot connect to Redis at 127.0.0.1:%d: Connection refused; 2 counters were not incremented, their buffered deltas are dropped: 'views' of user #1 (+7), 'likes' of post #abc (-1) in Unknown on line 0
