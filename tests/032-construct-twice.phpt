--TEST--
Calling __construct() again on a constructed Tally\Counter or Tally\Database throws \Error and changes nothing, also from inside a sync callback (where it used to free what the running sync uses)
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$redis = tally_redis_child();
$opts = tally_opts(['port' => $redis['port'], 'persistent' => false]);   // the connection is the object's own
$c = new Tally\Counter($opts);
$db = tally_db('sqlite', 'mc_032');
foreach ([1, 2, 3] as $id) {
    $c->increment('T', $id, 'n', $id);
}
$calls = 0;
$r = $c->sync($db, ['batch_size' => 1, 'progress' => function () use ($c, $db, $opts, &$calls) {
    if ($calls++ === 0) {
        tally_try(fn () => $c->__construct($opts + ['prefix' => 'other:']));
        tally_try(fn () => $db->__construct(tally_db_options('sqlite', 'mc_032_other')));
    }
    return true;
}]);
echo tally_report($r), "\n";
var_dump($c->getPrefix(), $db->getTable(), $c->get($db, 'T', 3, 'n'));
tally_try(fn () => $c->__construct());
tally_try(fn () => $db->__construct(['driver' => 'mysql']));
var_dump($c->increment('T', 1, 'n'), $c->get($db, 'T', 1, 'n'));
$db = null;
tally_db_drop('sqlite', 'mc_032');
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
Error: Tally\Counter::__construct() cannot be called twice: the object is in use; create a new Tally\Counter
Error: Tally\Database::__construct() cannot be called twice: the object is in use; create a new Tally\Database
synced=3 owners=3 batches=3 skipped=0 recovered=0 locked=false incomplete=false errors=[]
string(23) "tt:032-construct-twice:"
string(6) "mc_032"
int(3)
Error: Tally\Counter::__construct() cannot be called twice: the object is in use; create a new Tally\Counter
Error: Tally\Database::__construct() cannot be called twice: the object is in use; create a new Tally\Database
int(1)
int(2)
