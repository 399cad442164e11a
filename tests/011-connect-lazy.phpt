--TEST--
lazy: the constructor does not connect, so while Redis is down a bad argument is still an InvalidArgumentException and only real commands give ConnectionException; once Redis is up the object works
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$port = tally_free_port();                  // nothing listens here yet
$opts = ['port' => $port, 'prefix' => 'lz:', 'connect_timeout' => 0.5, 'read_timeout' => 0.5];
tally_try(fn () => new Tally\Counter($opts));                    // eager: fails at once
$c = new Tally\Counter($opts + ['lazy' => true]);
echo "constructed\n";
tally_try(fn () => $c->increment('T', 1, str_repeat('k', 101)));  // too long: says so
tally_try(fn () => $c->increment('', 1, 'k'));
tally_try(fn () => $c->increment('T', 1, 'k'));                   // a real command: unreachable
tally_try(fn () => new Tally\Counter($opts + ['lazy' => 'yes']));
$r = tally_redis_start([], $port);
var_dump($c->increment('T', 1, 'k', 3), $c->pending('T', 1, 'k'));
$p = new Tally\Counter($opts + ['lazy' => true, 'persistent' => true]);
var_dump($p->increment('T', 1, 'k', 4));
tally_redis_stop($r);
?>
--EXPECTF--
Tally\ConnectionException: cannot connect to Redis at 127.0.0.1:%d: Connection refused
constructed
Tally\InvalidArgumentException: counter key is 101 bytes long; the maximum is 100
Tally\InvalidArgumentException: owner type must not be empty (a global counter has an empty owner type AND an empty owner id)
Tally\ConnectionException: cannot connect to Redis at 127.0.0.1:%d: Connection refused
Tally\InvalidArgumentException: option 'lazy' must be of type bool, string given
int(3)
int(3)
int(7)
