--TEST--
A lazy counter on a Redis Cluster whose seeds are all down: every first command (increment, incrementKey, getKeys, a buffered flush, sync) is a ConnectionException, never a crash, and the counter works once a seed answers
--SKIPIF--
<?php $needs = ['cluster']; require __DIR__ . '/../inc/skipif.inc'; ?>
--EXTENSIONS--
sqlite3
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$down = ['127.0.0.1:' . tally_free_port(), '127.0.0.1:' . tally_free_port()];
$c = new Tally\Counter(tc_opts(['lazy' => true, 'connect_timeout' => 0.5], ['nodes' => $down]));
tally_try(fn () => $c->increment('T', 1, 'k'));
tally_try(fn () => $c->incrementKey('page:1', 1, 60));
tally_try(fn () => $c->getKeys(['a', 'b', 'c']));
$db = tally_db('sqlite', 'mc_077');
echo implode(' | ', $c->sync($db)['errors']), "\n";      // sync() reports, as on one Redis
$b = new Tally\Counter(tc_opts(['lazy' => true, 'connect_timeout' => 0.5, 'buffer' => true], ['nodes' => $down]));
$b->increment('T', 1, 'k');
tally_try(fn () => $b->flush());
// A seed that answers: the same options with one live seed work.
$ok = new Tally\Counter(tc_opts(['lazy' => true], ['nodes' => array_merge($down, [tc_nodes()[0]])]));
var_dump($ok->increment('T', 1, 'k', 2), $ok->forget('T', 1));
$db = null;
tally_db_drop('sqlite', 'mc_077');
?>
--EXPECTF--
Tally\ConnectionException: cannot connect to Redis at 127.0.0.1:%d: Connection refused
Tally\ConnectionException: cannot connect to Redis at 127.0.0.1:%d: Connection refused
Tally\ConnectionException: cannot connect to Redis at 127.0.0.1:%d: Connection refused
cannot connect to Redis at 127.0.0.1:%d: Connection refused
Tally\ConnectionException: flushing buffered increments failed: cannot connect to Redis at 127.0.0.1:%d: Connection refused; 1 counter was not incremented, its buffered delta is dropped: 'k' of T #1 (+1)
int(2)
int(1)
