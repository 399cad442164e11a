--TEST--
The sync lock: a key of another type at <prefix>{}:sync:lock is an error naming the key, not "locked"; a SET NX whose reply is lost (it may have taken the lock) is released with the run's token before the error is reported, so the next run is not locked out for the TTL
--SKIPIF--
<?php $needs = ['redis', 'failpoints']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$path = sys_get_temp_dir() . '/tally-428-' . getmypid() . '.sqlite';
$dbopts = ['driver' => 'sqlite', 'path' => $path];
(new Tally\Database($dbopts))->createTables();
$opts = tally_opts(['prefix' => tally_opts()['prefix'] . 't428:']);
$c = new Tally\Counter($opts);
$lock = $c->getPrefix() . '{}:sync:lock';
$c->increment('T', 1, 'n', 5);

echo "-- a hash at the lock key\n";
tally_raw(['HSET', $lock, 'x', '1']);
echo str_replace($c->getPrefix(), 'P:', tally_report($c->sync(new Tally\Database($dbopts)))), "\n";
tally_raw(['DEL', $lock]);

echo "-- the reply to SET NX is lost\n";
$code = '$r = (new Tally\Counter($args[0]))->sync(new Tally\Database($args[1]), ["lock_ttl" => 60]);
echo tally_report($r), "\n";';
$r = tally_child_php($code, ['TALLY_FAILPOINTS' => 'lock-reply-lost=error'], [$opts, $dbopts]);
echo trim($r['stdout']), trim($r['stderr']), "\n";
var_dump(tally_raw(['EXISTS', $lock]));
echo tally_report($c->sync(new Tally\Database($dbopts))), "\n";
var_dump($c->get(new Tally\Database($dbopts), 'T', 1, 'n'));
tally_raw(array_merge(['DEL', 'none'], tally_raw_keys($c->getPrefix())));
@unlink($path);
?>
--EXPECTF--
-- a hash at the lock key
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[the sync lock key 'P:{}:sync:lock' holds a hash, not a lock token: delete it (no run can hold the lock while it is there)]
-- the reply to SET NX is lost
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[taking the sync lock: failpoint lock-reply-lost; the lock was released in case the SET had taken it]
int(0)
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(5)
