--TEST--
Keys under the prefix that are not Tally's (a string or a list at an owner's key, a hash with a field that is not an integer, a string at a claim key) are left untouched, same type and value, and named in the report's foreign list, not its errors; every healthy owner is synced and none is left claimed
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$redis = tally_redis_child();
$port = $redis['port'];
$c = new Tally\Counter(tally_opts(['port' => $port]));
$prefix = $c->getPrefix();
$keys = fn () => implode(' ', array_map(fn ($k) => substr($k, strlen($prefix)), tally_raw_keys($prefix, $port)));
$foreign = [
    '{User:999}' => [['SET', 'hello'], ['GET']],
    '{User:998}' => [['RPUSH', 'a', 'b'], ['LRANGE', 0, -1]],
    '{User:997}' => [['HSET', 'views', '3', 'bad', 'abc'], ['HGETALL']],
    '{User:996}:c' => [['SET', 'x'], ['GET']],
];
$state = function () use ($foreign, $prefix, $port) {
    $out = [];
    foreach ($foreign as $k => [, $read]) {
        $v = tally_raw(array_merge([$read[0], $prefix . $k], array_slice($read, 1)), $port);
        $out[] = $k . '=' . tally_raw(['TYPE', $prefix . $k], $port) . ':' . json_encode($v)
            . ' ttl=' . (($t = tally_raw(['TTL', $prefix . $k], $port)) > 900 ? 'kept' : $t);
    }
    return implode(' ', $out);
};
$names = function (array $list) use ($prefix) {
    $list = array_map(fn ($m) => str_replace($prefix, '<prefix>', $m), $list);
    sort($list);
    return implode("\n", $list);
};
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_331');
    foreach ($foreign as $k => [$write]) {
        tally_raw(array_merge([$write[0], $prefix . $k], array_slice($write, 1)), $port);
    }
    tally_raw(['EXPIRE', $prefix . '{User:999}', 1000], $port);
    for ($i = 1; $i <= 9; $i++) {
        $c->incrementMany('T', $i, ['a' => $i, 'b' => 1]);
    }
    echo "before: ", $state(), "\n";
    $r = $c->sync($db, ['dry_run' => true]);
    echo "dry: synced=$r[synced] errors=", count($r['errors']), "\n", $names($r['foreign']), "\n";
    $r = $c->sync($db, ['batch_size' => 4]);
    echo "synced=$r[synced] owners=$r[owners] errors=", json_encode($r['errors']), "\n", $names($r['foreign']), "\n";
    echo "after: ", $state(), "\n";
    echo "keys: ", $keys(), "\n";
    [$rows, $sum] = tally_sql($driver, 'mc_331', 'SELECT COUNT(*), SUM(count) FROM mc_331')[0];
    echo "sql: rows=$rows sum=$sum\n";
    // The next run finds them again, still untouched, and still no error.
    $r = $c->sync($db);
    echo "synced=$r[synced] errors=", count($r['errors']), " foreign=", count($r['foreign']), "\n";
    echo "after: ", $state(), "\n";
    $db = null;
    tally_db_drop($driver, 'mc_331');
    foreach (tally_raw_keys($prefix, $port) as $k) {
        tally_raw(['DEL', $k], $port);
    }
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite
before: {User:999}=string:"hello" ttl=kept {User:998}=list:["a","b"] ttl=-1 {User:997}=hash:["views","3","bad","abc"] ttl=-1 {User:996}:c=string:"x" ttl=-1
dry: synced=18 errors=0
'<prefix>{User:996}:c' is not a Tally counter hash: it holds a string; left untouched
'<prefix>{User:997}' is not a Tally counter hash: its field 'bad' holds 'abc', not an integer; left untouched
'<prefix>{User:998}' is not a Tally counter hash: it holds a list; left untouched
'<prefix>{User:999}' is not a Tally counter hash: it holds a string; left untouched
synced=18 owners=9 errors=[]
'<prefix>{User:996}:c' is not a Tally counter hash: it holds a string; left untouched
'<prefix>{User:997}' is not a Tally counter hash: its field 'bad' holds 'abc', not an integer; left untouched
'<prefix>{User:998}' is not a Tally counter hash: it holds a list; left untouched
'<prefix>{User:999}' is not a Tally counter hash: it holds a string; left untouched
after: {User:999}=string:"hello" ttl=kept {User:998}=list:["a","b"] ttl=-1 {User:997}=hash:["views","3","bad","abc"] ttl=-1 {User:996}:c=string:"x" ttl=-1
keys: {User:996}:c {User:997} {User:998} {User:999}
sql: rows=18 sum=54
synced=0 errors=0 foreign=4
after: {User:999}=string:"hello" ttl=kept {User:998}=list:["a","b"] ttl=-1 {User:997}=hash:["views","3","bad","abc"] ttl=-1 {User:996}:c=string:"x" ttl=-1
-- mysql
before: {User:999}=string:"hello" ttl=kept {User:998}=list:["a","b"] ttl=-1 {User:997}=hash:["views","3","bad","abc"] ttl=-1 {User:996}:c=string:"x" ttl=-1
dry: synced=18 errors=0
'<prefix>{User:996}:c' is not a Tally counter hash: it holds a string; left untouched
'<prefix>{User:997}' is not a Tally counter hash: its field 'bad' holds 'abc', not an integer; left untouched
'<prefix>{User:998}' is not a Tally counter hash: it holds a list; left untouched
'<prefix>{User:999}' is not a Tally counter hash: it holds a string; left untouched
synced=18 owners=9 errors=[]
'<prefix>{User:996}:c' is not a Tally counter hash: it holds a string; left untouched
'<prefix>{User:997}' is not a Tally counter hash: its field 'bad' holds 'abc', not an integer; left untouched
'<prefix>{User:998}' is not a Tally counter hash: it holds a list; left untouched
'<prefix>{User:999}' is not a Tally counter hash: it holds a string; left untouched
after: {User:999}=string:"hello" ttl=kept {User:998}=list:["a","b"] ttl=-1 {User:997}=hash:["views","3","bad","abc"] ttl=-1 {User:996}:c=string:"x" ttl=-1
keys: {User:996}:c {User:997} {User:998} {User:999}
sql: rows=18 sum=54
synced=0 errors=0 foreign=4
after: {User:999}=string:"hello" ttl=kept {User:998}=list:["a","b"] ttl=-1 {User:997}=hash:["views","3","bad","abc"] ttl=-1 {User:996}:c=string:"x" ttl=-1
