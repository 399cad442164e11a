--TEST--
Rate limit state lives in Tally's own keys <prefix>{}:rl:f|s:<name>: the sync never takes them for owner counters, they hold no pending deltas, and a key of another type is a WrongTypeException
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$redis = tally_redis_child();
$port = $redis['port'];
$c = new Tally\Counter(tally_opts(['port' => $port, 'read_timeout' => 5.0]));
$prefix = $c->getPrefix();
$db = tally_db('sqlite', 'mc_604');
// Names that look like owners, claims or colons do not confuse the sync's SCAN.
foreach (['App%5CUser:1}', 'x}:c', 'c', '{T:1}', 'a:b'] as $name) {
    $c->rateLimit($name, 5, 60);
    $c->rateLimit($name, 5, 60, ['sliding' => true]);
}
$c->increment('App\User', 1, 'downloads', 2);
echo tally_report($c->sync($db)), "\n";
echo implode("\n", tally_sql_rows('sqlite', 'mc_604')), "\n";
var_dump(count(tally_raw_keys($prefix, $port)));
var_dump($c->rateLimit('x}:c', 5, 60)['remaining'], $c->rateLimit('{T:1}', 5, 60, ['sliding' => true])['remaining']);

// Somebody else's data under those keys is reported, not overwritten.
tally_raw(['SET', $prefix . '{}:rl:f:odd', 'abc'], $port);
tally_raw(['HSET', $prefix . '{}:rl:s:odd', 'f', '1'], $port);
tally_try(fn() => $c->rateLimit('odd', 5, 60));
tally_try(fn() => $c->rateLimit('odd', 5, 60, ['sliding' => true]));
var_dump(tally_raw(['GET', $prefix . '{}:rl:f:odd'], $port));
tally_db_drop('sqlite', 'mc_604');
tally_redis_child_stop($redis);
?>
--EXPECTF--
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
App\User|1|downloads = 2
int(10)
int(3)
int(3)
Tally\WrongTypeException: rate limit 'odd': ERR the rate limit counter is not an integer
Tally\WrongTypeException: rate limit 'odd': WRONGTYPE Operation against a key holding the wrong kind of value%s
string(3) "abc"
