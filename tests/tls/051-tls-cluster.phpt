--TEST--
A Redis Cluster over TLS only (bus and replication too): owner counters on all three masters, incrementMany, getKeys, a buffered flush, ensureTtl and a sync to SQLite with exact values and no key left on any master; wait_replicas => 1 reaches each replica; an untrusted CA is a ConnectionException naming a node
--SKIPIF--
<?php $needs = ['tls', 'cluster-tls']; require __DIR__ . '/../inc/skipif.inc'; ?>
--EXTENSIONS--
sqlite3
--FILE--
<?php
require __DIR__ . '/../cluster/cluster.inc';
$cl = tc_tls_cluster();
$c = new Tally\Counter(tc_opts([], $cl));
$b = new Tally\Counter(tc_opts(['buffer' => true], $cl));
$p = $c->getPrefix();
$masters = array_keys(tc_masters($cl));
echo count($masters), " masters, each with a replica: ", var_export(min(array_map('count', tc_replicas($cl))) >= 1, true), "\n";
$left = function () use ($masters, $p, $cl) {
    $n = 0;
    foreach ($masters as $port) $n += count(tc_keys($port, $p, $cl));
    return $n;
};
// The master and the replica owning a key, as the cluster reports them (over TLS).
$master = fn (string $key) => tc_owner(tc_slot($key, $cl), $cl);
$replica = fn (string $key) => tc_replicas($cl)[$master($key)][0];

// One owner per master (their hashes are {user:ID}), by id: the masters' ports change at every start.
$owners = [];
for ($id = 1; count($owners) < 3; $id++) {
    $owners[$master($p . "{user:$id}")] ??= $id;
}
$owners = array_flip($owners);   // id => its master's port
ksort($owners);
$ids = array_keys($owners);
foreach ($ids as $id) {
    $c->increment('user', $id, 'views', $id);
    $c->increment('user', $id, 'views', 10);
}
var_dump($c->incrementMany('user', $ids[1], ['views' => 5, 'likes' => 2]));
$raw = [];
foreach ($owners as $id => $port) {
    $h = tc_raw($port, ['HGETALL', $p . "{user:$id}"], false, $cl);
    $raw[] = "$id on its master: " . implode(' ', $h) . '; pending ' . json_encode($c->pendingAll('user', $id));
}
echo implode("\n", $raw), "\n";

// Plain keys on every master: getKeys gathers them in one call.
$keys = [];
for ($n = 0; count($keys) < 3; $n++) {
    $keys[$master($p . "k$n")] ??= "k$n";
}
sort($keys);
$amount = 1;
foreach ($keys as $k) {
    $c->incrementKey($k, $amount++);
}
var_dump($c->getKeys(array_merge(array_values($keys), ['none'])));

// A buffered flush over the three masters, in one pipeline per master.
foreach ($ids as $id) {
    $b->increment('post', $id, 'views', 3);
    $b->increment('post', $id, 'views', 4 * $id);
}
var_dump($b->flush());
echo json_encode(array_map(fn ($id) => $c->pending('post', $id, 'views'), $ids)), "\n";

// ensureTtl on every master.
$r = $c->ensureTtl('k*', 100);
echo "ensureTtl: scanned={$r['scanned']} ttl_set={$r['ttl_set']}; ttls in (0, 100]: ",
    var_export(min(array_map([$c, 'ttl'], $keys)) > 0 && max(array_map([$c, 'ttl'], $keys)) <= 100, true), "\n";
var_dump($c->deleteKeys($keys));

// The sync SCANs every master over TLS, claims, commits and releases: nothing left.
echo 'keys per master before the sync: ', json_encode(array_map(fn ($port) => count(tc_keys($port, $p, $cl)), $masters)), "\n";
$db = tally_db('sqlite', 'mc_051');
echo tally_report($c->sync($db)), "\n";
echo implode("\n", tally_sql_rows('sqlite', 'mc_051')), "\n";
var_dump($left());
$c->increment('user', $ids[2], 'views', 1);
var_dump($c->get($db, 'user', $ids[2], 'views'));
echo tally_report($c->sync($db)), "\n";
var_dump($left());
$db = null;
tally_db_drop('sqlite', 'mc_051');

// wait_replicas => 1: when the call returns, the write is on the master's replica (read over TLS).
$w = new Tally\Counter(tc_opts(['wait_replicas' => 1, 'wait_timeout' => 0.5 * tally_slow(), 'read_timeout' => 2.0 * tally_slow(),
    'persistent' => false], $cl));
$wb = new Tally\Counter(tc_opts(['wait_replicas' => 1, 'wait_timeout' => 0.5 * tally_slow(), 'read_timeout' => 2.0 * tally_slow(),
    'persistent' => false, 'buffer' => true], $cl));
foreach ($masters as $port) {
    tc_raw($port, ['CONFIG', 'RESETSTAT'], false, $cl);
}
foreach ($ids as $id) {
    $w->increment('wait', $id, 'n', $id);
    $wb->increment('wait', $id, 'm', 2 * $id);
}
var_dump($wb->flush());
$seen = [];
foreach ($ids as $id) {
    $h = $p . "{wait:$id}";
    $seen[] = tc_replica_raw($replica($h), ['HMGET', $h, 'n', 'm'], $cl);
}
echo json_encode($seen), "\n";
// The WAITs: one per increment and one per master in the flush, each on the master it wrote to.
$waits = [];
foreach ($masters as $port) {
    preg_match('/cmdstat_wait:calls=(\d+)/', (string) tc_raw($port, ['INFO', 'commandstats'], false, $cl), $m);
    $waits[] = (int) ($m[1] ?? 0);
}
echo json_encode($waits), "\n";
foreach ($ids as $id) {
    $c->forget('wait', $id);
}
var_dump($left());

// A CA that signed none of the nodes' certificates: refused, naming the node.
$ports = array_map('tc_port', $cl['nodes']);
ob_start();
tally_try(fn () => (new Tally\Counter(tc_opts(['tls_ca_file' => tally_tls_file('other-ca.crt'), 'persistent' => false], $cl)))
    ->increment('user', 1, 'views'));
echo str_replace(array_map(fn ($port) => ":$port", $ports), ':PORT', ob_get_clean());
?>
--EXPECT--
3 masters, each with a replica: true
array(2) {
  ["views"]=>
  int(18)
  ["likes"]=>
  int(2)
}
1 on its master: views 11; pending {"views":11}
3 on its master: views 18 likes 2; pending {"views":18,"likes":2}
4 on its master: views 14; pending {"views":14}
array(4) {
  ["k0"]=>
  int(1)
  ["k1"]=>
  int(2)
  ["k2"]=>
  int(3)
  ["none"]=>
  int(0)
}
int(3)
[7,15,19]
ensureTtl: scanned=3 ttl_set=3; ttls in (0, 100]: true
int(3)
keys per master before the sync: [2,2,2]
synced=7 owners=6 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
post|1|views = 7
post|3|views = 15
post|4|views = 19
user|1|views = 11
user|3|likes = 2
user|3|views = 18
user|4|views = 14
int(0)
int(15)
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(0)
int(3)
[["1","2"],["3","6"],["4","8"]]
[2,2,2]
int(0)
Tally\ConnectionException: TLS handshake with Redis at 127.0.0.1:PORT failed: certificate verify failed: self-signed certificate in certificate chain (the server's certificate is not signed by a trusted CA: set tls_ca_file)
