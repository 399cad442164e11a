--TEST--
on_batch gets every committed batch's rows (owner type, id, key, delta) and, in a dry run, what would be written; false or an exception stops the run like progress, and a bad value is an InvalidArgumentException
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
$show = function (array $rows): string {
    $out = array_map(fn ($r) => "{$r['owner_type']}#{$r['owner_id']}.{$r['key']}={$r['delta']}", $rows);
    return implode(' ', $out);
};
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_318');
    $c->incrementMany('User', 1, ['views' => 3, 'a:b{c}é' => -2]);
    $c->increment('User', 2, 'views', 5);
    $c->increment('Post', 'uuid-7', 'likes', 1);
    $c->increment('Post', 'uuid-7', 'zero', 0);        // a zero delta is skipped, not listed

    // Dry run: once per owner with what would be written; nothing changes.
    $seen = [];
    $r = $c->sync($db, ['dry_run' => true, 'on_batch' => function (array $rows) use (&$seen, $show) {
        $seen[] = $show($rows);
    }]);
    sort($seen);
    echo implode("\n", $seen), "\n", tally_report($r), "\n";

    // A real run, batch_size 2: each call is one committed batch, whole owners.
    $seen = [];
    $r = $c->sync($db, ['batch_size' => 2, 'on_batch' => function (array $rows) use (&$seen, $show, $driver) {
        $inSql = (int) tally_sql($driver, 'mc_318', 'SELECT COUNT(*) FROM mc_318')[0][0];
        $seen[] = count($rows) . " rows, $inSql in SQL: " . $show($rows);
    }]);
    echo implode("\n", $seen), "\n", tally_report($r), "\n";
    echo implode("\n", tally_sql_rows($driver, 'mc_318')), "\n";

    // false stops the run; an exception propagates; the next run finishes, nothing lost.
    foreach ([1, 2, 3] as $id) {
        $c->increment('Tag', $id, 'n', $id);
    }
    $calls = 0;
    $r = $c->sync($db, ['batch_size' => 1, 'on_batch' => function () use (&$calls) {
        $calls++;
        return false;
    }]);
    echo "calls $calls: ", tally_report($r), "\n";
    try {
        $c->sync($db, ['batch_size' => 1, 'on_batch' => function (array $rows) {
            throw new LogicException('listing failed at ' . $rows[0]['owner_id']);
        }]);
    } catch (LogicException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
    echo tally_report($c->sync($db)), "\n";
    echo 'Tag n: ', $c->get($db, 'Tag', 1, 'n'), ' ', $c->get($db, 'Tag', 2, 'n'), ' ', $c->get($db, 'Tag', 3, 'n'), "\n";
    var_dump(tally_raw_keys($c->getPrefix(), $port));
    tally_try(fn () => $c->sync($db, ['on_batch' => 'no_such_function']));
    tally_try(fn () => $c->sync($db, ['on_batch' => 42]));
    $db = null;
    tally_db_drop($driver, 'mc_318');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
-- sqlite
Post#uuid-7.likes=1
User#1.views=3 User#1.a:b{c}é=-2
User#2.views=5
synced=4 owners=3 batches=0 skipped=1 recovered=0 locked=false incomplete=false errors=[]
1 rows, 1 in SQL: Post#uuid-7.likes=1
2 rows, 3 in SQL: User#1.views=3 User#1.a:b{c}é=-2
1 rows, 4 in SQL: User#2.views=5
synced=4 owners=3 batches=3 skipped=1 recovered=0 locked=false incomplete=false errors=[]
Post|uuid-7|likes = 1
User|1|a:b{c}é = -2
User|1|views = 3
User|2|views = 5
calls 2: synced=2 owners=2 batches=2 skipped=0 recovered=0 locked=false incomplete=true errors=[]
LogicException: listing failed at 3
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
Tag n: 1 2 3
array(0) {
}
Tally\InvalidArgumentException: option 'on_batch' must be a callable: function "no_such_function" not found or invalid function name
Tally\InvalidArgumentException: option 'on_batch' must be a callable: no array or string given
-- mysql
Post#uuid-7.likes=1
User#1.views=3 User#1.a:b{c}é=-2
User#2.views=5
synced=4 owners=3 batches=0 skipped=1 recovered=0 locked=false incomplete=false errors=[]
1 rows, 1 in SQL: Post#uuid-7.likes=1
2 rows, 3 in SQL: User#1.views=3 User#1.a:b{c}é=-2
1 rows, 4 in SQL: User#2.views=5
synced=4 owners=3 batches=3 skipped=1 recovered=0 locked=false incomplete=false errors=[]
Post|uuid-7|likes = 1
User|1|a:b{c}é = -2
User|1|views = 3
User|2|views = 5
calls 2: synced=2 owners=2 batches=2 skipped=0 recovered=0 locked=false incomplete=true errors=[]
LogicException: listing failed at 3
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
Tag n: 1 2 3
array(0) {
}
Tally\InvalidArgumentException: option 'on_batch' must be a callable: function "no_such_function" not found or invalid function name
Tally\InvalidArgumentException: option 'on_batch' must be a callable: no array or string given
