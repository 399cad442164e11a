--TEST--
The sync pattern selects owner types: a plain type matches only itself, '*' matches any run of bytes, every other glob character is literal, and a bad pattern throws
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
// A private Redis: this test's keys alone, whatever else the shared one holds.
$redis = tally_redis_child();
$port = $redis['port'];
$c = new Tally\Counter(tally_opts(['port' => $port]));
$prefix = $c->getPrefix();
$types = ['App\Models\User', 'App\Models\UserProfile', 'App\Models\Post', 'Other\Thing',
    'a*b', 'aXb', '[x]', 'x', 'a?c', 'abc'];
// The owner types still pending, decoded from the Redis keys.
$pending = function () use ($prefix, $port) {
    $out = [];
    foreach (tally_raw_keys($prefix, $port) as $k) {
        $out[] = rawurldecode(substr($k, strlen($prefix) + 1, strrpos($k, ':') - strlen($prefix) - 1));
    }
    sort($out, SORT_STRING);
    return implode(', ', array_unique($out));
};
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_304');
    foreach ($types as $t) {
        $c->increment($t, 1, 'n');
    }
    $c->increment('App\Models\User', 2, 'n');
    foreach (['App\Models\User', '[x]', 'a?c', 'a*b', 'App\Models\*', '*'] as $pattern) {
        $r = $c->sync($db, ['pattern' => $pattern]);
        echo str_pad($pattern, 16), " synced=$r[synced] owners=$r[owners]  left: ", $pending(), "\n";
    }
    var_dump($c->get($db, 'App\Models\User', 2, 'n'), $c->get($db, 'a*b', 1, 'n'), $c->get($db, '[x]', 1, 'n'));
    // null means every type, like no pattern at all.
    $c->increment('x', 1, 'n', 2);
    echo tally_report($c->sync($db, ['pattern' => null])), "\n";
    var_dump($c->get($db, 'x', 1, 'n'));
    $db = null;
    tally_db_drop($driver, 'mc_304');
}
$db = tally_db('sqlite', 'mc_304');
tally_try(fn () => $c->sync($db, ['pattern' => '']));
tally_try(fn () => $c->sync($db, ['pattern' => 5]));
tally_try(fn () => $c->sync($db, ['pattern' => "a\0b"]));
// An owner type is at most 255 bytes, and so is a pattern: a longer one is an error, not
// a run that silently finds nothing.
$c->increment(str_repeat('a', 255), 1, 'n');
tally_try(fn () => $c->sync($db, ['pattern' => str_repeat('a', 256)]));
echo $pending() === str_repeat('a', 255) ? "still pending\n" : "synced\n";
echo tally_report($c->sync($db, ['pattern' => str_repeat('a', 255)])), "\n";
$db = null;
tally_db_drop('sqlite', 'mc_304');
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECTF--
-- sqlite
App\Models\User  synced=2 owners=2  left: App\Models\Post, App\Models\UserProfile, Other\Thing, [x], a*b, a?c, aXb, abc, x
[x]              synced=1 owners=1  left: App\Models\Post, App\Models\UserProfile, Other\Thing, a*b, a?c, aXb, abc, x
a?c              synced=1 owners=1  left: App\Models\Post, App\Models\UserProfile, Other\Thing, a*b, aXb, abc, x
a*b              synced=2 owners=2  left: App\Models\Post, App\Models\UserProfile, Other\Thing, abc, x
App\Models\*     synced=2 owners=2  left: Other\Thing, abc, x
*                synced=3 owners=3  left: 
int(1)
int(1)
int(1)
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(3)
-- mysql
App\Models\User  synced=2 owners=2  left: App\Models\Post, App\Models\UserProfile, Other\Thing, [x], a*b, a?c, aXb, abc, x
[x]              synced=1 owners=1  left: App\Models\Post, App\Models\UserProfile, Other\Thing, a*b, a?c, aXb, abc, x
a?c              synced=1 owners=1  left: App\Models\Post, App\Models\UserProfile, Other\Thing, a*b, aXb, abc, x
a*b              synced=2 owners=2  left: App\Models\Post, App\Models\UserProfile, Other\Thing, abc, x
App\Models\*     synced=2 owners=2  left: Other\Thing, abc, x
*                synced=3 owners=3  left: 
int(1)
int(1)
int(1)
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(3)
Tally\InvalidArgumentException: option 'pattern' must not be empty (omit it to sync every owner type)
Tally\InvalidArgumentException: option 'pattern' must be of type string, int given
Tally\InvalidArgumentException: option 'pattern' must not contain NUL bytes
Tally\InvalidArgumentException: option 'pattern' is 256 bytes long; the maximum is 255
still pending
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
