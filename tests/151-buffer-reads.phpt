--TEST--
Reads of buffered counters include what is still buffered (pending*, exact get*), forget() drops buffered deltas too, and ephemeral counters are never buffered
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$opts = tally_opts();
$b = new Tally\Counter($opts + ['buffer' => true]);
$direct = new Tally\Counter($opts);
$direct->forget('user', 7);
$direct->deleteKeys(['progress']);
$db = tally_db('sqlite', 'buf_reads');

// Stored in SQL: views 100. Pending in Redis: views 10, likes 1. Buffered: views 5, new 3.
$direct->increment('user', 7, 'views', 100);
$direct->sync($db);
$direct->increment('user', 7, 'views', 10);
$direct->increment('user', 7, 'likes', 1);
$b->increment('user', 7, 'views', 5);
$b->increment('user', 7, 'new', 3);

echo "pending: ", $b->pending('user', 7, 'views'), ' ', $b->pending('user', 7, 'new'), ' ', $direct->pending('user', 7, 'views'), "\n";
echo "pendingMany: ", json_encode($b->pendingMany('user', 7, ['views', 'likes', 'new', 'none'])), "\n";
$all = $b->pendingAll('user', 7);
ksort($all);
echo "pendingAll: ", json_encode($all), "\n";
$all = $b->pendingAll('user', 7);      // a second whole-owner read sees the same
ksort($all);
echo "pendingAll again: ", json_encode($all), "\n";
echo "get: ", $b->get($db, 'user', 7, 'views'), ' ', $b->get($db, 'user', 7, 'new'), ' ', $direct->get($db, 'user', 7, 'views'), "\n";
echo "getMany: ", json_encode($b->getMany($db, 'user', 7, ['views', 'likes', 'new', 'none'])), "\n";
$all = $b->getAll($db, 'user', 7);
ksort($all);
echo "getAll: ", json_encode($all), "\n";

// forget() drops buffered deltas as well (it counts the fields it removed from Redis).
$b->increment('user', 7, 'likes', 50);
var_dump($b->forget('user', 7, 'likes'), $b->pending('user', 7, 'likes'));
$b->increment('user', 7, 'gone', 9);
var_dump($b->forget('user', 7), $b->pendingAll('user', 7), $b->flush(), $direct->pendingAll('user', 7));

// Ephemeral counters go straight to Redis (their value and TTL are needed at once).
var_dump($b->incrementKey('progress', 2, 60), $direct->getKey('progress'), $direct->ttl('progress') > 0);
$direct->deleteKeys(['progress']);
tally_db_drop('sqlite', 'buf_reads');
?>
--EXPECT--
pending: 15 3 10
pendingMany: {"views":15,"likes":1,"new":3,"none":0}
pendingAll: {"likes":1,"new":3,"views":15}
pendingAll again: {"likes":1,"new":3,"views":15}
get: 115 3 110
getMany: {"views":115,"likes":1,"new":3,"none":0}
getAll: {"likes":1,"new":3,"views":115}
int(1)
int(0)
int(1)
array(0) {
}
int(0)
array(0) {
}
int(2)
int(2)
bool(true)
