--TEST--
wait_replicas => 1: increments, incrementMany, a buffered flush, ephemeral counters and rate limits are on the replica when the call returns; a stopped replica gives ReplicationException within about wait_timeout and the master keeps the write; wait_replicas => 2 with one replica gives ReplicationException
--SKIPIF--
<?php $needs = ['redis', 'redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$master = (int) getenv('TALLY_TEST_REDIS_PORT');
tally_raw(['CONFIG', 'SET', 'repl-diskless-sync-delay', '0']);   // the first sync at once, not after 5 s
$replica = tally_redis_start(['--replicaof', '127.0.0.1', (string) $master]);
$rport = $replica['port'];
try {
    // Online once the master lists it so and the replica has loaded the first sync.
    $online = fn () => str_contains((string) tally_raw(['INFO', 'replication']), "port=$rport,state=online")
        && str_contains((string) tally_raw(['INFO', 'replication'], $rport), 'master_link_status:up');
    for ($i = 0; $i < 2000 && !$online(); $i++) {
        usleep(10000);
    }
    // ... and acknowledges writes (its first REPLCONF ACK may lag the sync).
    for ($i = 0; $i < 100 && tally_raw(['WAIT', '1', '100'], null, [['SET', 'tt:060:warm', '1']]) !== 1; $i++);
    var_dump($online(), tally_raw(['DEL', 'tt:060:warm']));

    $c = new Tally\Counter(tally_opts(['wait_replicas' => 1, 'wait_timeout' => 0.5, 'read_timeout' => 2.0, 'persistent' => false]));
    $p = $c->getPrefix();
    tally_raw(['DEL', $p . '{user:1}', $p . 'hits']);
    $hash = $p . '{user:1}';

    var_dump($c->increment('user', 1, 'views', 5));
    var_dump(tally_raw(['HGET', $hash, 'views'], $rport));
    var_dump($c->incrementMany('user', 1, ['views' => 1, 'likes' => 2]));
    var_dump(tally_raw(['HGETALL', $hash], $rport));
    var_dump($c->incrementKey('hits', 3, 60));
    var_dump(tally_raw(['GET', $p . 'hits'], $rport), tally_raw(['TTL', $p . 'hits'], $rport) > 0);
    var_dump($c->rateLimit('login', 5, 60)['remaining']);
    var_dump(tally_raw_keys($p . '{}', $rport) === tally_raw_keys($p . '{}') && tally_raw_keys($p . '{}') !== []);

    $b = new Tally\Counter(tally_opts(['wait_replicas' => 1, 'wait_timeout' => 0.5, 'read_timeout' => 2.0, 'persistent' => false, 'buffer' => true]));
    $b->increment('user', 1, 'views', 10);
    $b->increment('user', 2, 'views', 1);
    var_dump($b->flush());
    var_dump(tally_raw(['HGET', $hash, 'views'], $rport), tally_raw(['HGET', $p . '{user:2}', 'views'], $rport));
    tally_raw(['DEL', $p . '{user:2}']);

    // A replica that stops answering: the write is on the master, not confirmed, not undone.
    shell_exec('kill -STOP ' . (int) $replica['pid']);
    try {
        $t0 = microtime(true);
        tally_try(fn () => $c->increment('user', 1, 'views', 100));
        $took = microtime(true) - $t0;
        var_dump($took >= 0.45 && $took < 1.9);
        var_dump(tally_raw(['HGET', $hash, 'views']));
        try {
            $c->incrementKey('hits', 1);
        } catch (Tally\ConnectionException $e) {   // existing catch blocks still catch it
            echo get_class($e), "\n";
        }
        $b->increment('user', 1, 'views', 1000);
        tally_try(fn () => $b->flush());
        var_dump(tally_raw(['HGET', $hash, 'views']));   // flushed: not kept for a retry
    } finally {
        shell_exec('kill -CONT ' . (int) $replica['pid']);
    }

    // Two asked, one there.
    $two = new Tally\Counter(tally_opts(['wait_replicas' => 2, 'wait_timeout' => 0.3, 'persistent' => false]));
    tally_try(fn () => $two->increment('user', 1, 'views', 1));
    var_dump(tally_raw(['HGET', $hash, 'views']));
    tally_raw(['DEL', $hash, $p . 'hits']);
    $c->resetRateLimit('login');
} finally {
    tally_redis_stop($replica);
}
?>
--EXPECTF--
bool(true)
int(1)
int(5)
string(1) "5"
array(2) {
  ["views"]=>
  int(6)
  ["likes"]=>
  int(2)
}
array(4) {
  [0]=>
  string(5) "views"
  [1]=>
  string(1) "6"
  [2]=>
  string(5) "likes"
  [3]=>
  string(1) "2"
}
int(3)
string(1) "3"
bool(true)
int(4)
bool(true)
int(2)
string(2) "16"
string(1) "1"
Tally\ReplicationException: the write reached Redis at 127.0.0.1:%d (the master) but only 0 of 1 replicas confirmed it within 0.5 s (wait_timeout), so it may be lost if that master fails now; it was NOT undone and must not be blindly retried (it would count twice)
bool(true)
string(3) "116"
Tally\ReplicationException
Tally\ReplicationException: flushing buffered increments failed: the write reached Redis at 127.0.0.1:%d (the master) but only 0 of 1 replicas confirmed it within 0.5 s (wait_timeout), so it may be lost if that master fails now; it was NOT undone and must not be blindly retried (it would count twice)
string(4) "1116"
Tally\ReplicationException: the write reached Redis at 127.0.0.1:%d (the master) but only 1 of 2 replicas confirmed it within 0.3 s (wait_timeout), so it may be lost if that master fails now; it was NOT undone and must not be blindly retried (it would count twice)
string(4) "1117"
