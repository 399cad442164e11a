--TEST--
Over TLS buffered flushes, rate limits, scripts (ensureTtl), the sync to MariaDB and SQLite and exact reads work as on plain TCP, with exact values
--SKIPIF--
<?php $needs = ['tls', 'mysql']; require __DIR__ . '/../inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/../inc/helpers.inc';
$c = new Tally\Counter(tally_tls_opts());
$b = new Tally\Counter(tally_tls_opts(['buffer' => true]));
$b->increment('U', 1, 'views', 2);
$b->increment('U', 1, 'views', 3);
$b->incrementMany('U', 2, ['likes' => 4]);
var_dump($c->pendingAll('U', 1), $b->flush(), $c->pendingAll('U', 1), $c->pendingAll('U', 2));

$c->resetRateLimit('api');
foreach ([false, true] as $sliding) {
    $got = [];
    for ($i = 0; $i < 4; $i++) {
        $r = $c->rateLimit('api' . (int) $sliding, 3, 60, ['sliding' => $sliding]);
        $got[] = ($r['allowed'] ? 'yes' : 'no') . '/' . $r['remaining'];
    }
    echo implode(' ', $got), "\n";
    $c->resetRateLimit('api' . (int) $sliding);
}

$c->incrementKey('e:1', 1);
$c->incrementKey('e:2', 1, 100);
$r = $c->ensureTtl('e:*', 50);
echo "ensureTtl: scanned={$r['scanned']} without_ttl={$r['without_ttl']} ttl_set={$r['ttl_set']}; ttl ", $c->ttl('e:1'), "\n";
$c->deleteKeys(['e:1', 'e:2']);

foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'mc_043');
    $c->increment('U', 1, 'views', 10);
    echo tally_report($c->sync($db)), "\n";
    echo implode("\n", tally_sql_rows($driver, 'mc_043')), "\n";
    $c->increment('U', 1, 'views', 1);
    var_dump($c->get($db, 'U', 1, 'views'), $c->getMany($db, 'U', 2, ['likes', 'none']));
    echo tally_report($c->sync($db)), "\n";
    var_dump(tally_raw_keys_tls($c->getPrefix()));
    tally_db_drop($driver, 'mc_043');
    $c->increment('U', 1, 'views', 5);
    $c->increment('U', 2, 'likes', 4);
}
$c->forget('U', 1);
$c->forget('U', 2);

function tally_raw_keys_tls(string $prefix): array
{
    [, $keys] = tally_tls_raw(['SCAN', '0', 'MATCH', $prefix . '*', 'COUNT', 10000]);
    sort($keys);
    return $keys;
}
?>
--EXPECT--
array(0) {
}
int(2)
array(1) {
  ["views"]=>
  int(5)
}
array(1) {
  ["likes"]=>
  int(4)
}
yes/2 yes/1 yes/0 no/0
yes/2 yes/1 yes/0 no/0
ensureTtl: scanned=2 without_ttl=1 ttl_set=1; ttl 50
-- sqlite
synced=2 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
U|1|views = 15
U|2|likes = 4
int(16)
array(2) {
  ["likes"]=>
  int(4)
  ["none"]=>
  int(0)
}
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
array(0) {
}
-- mysql
synced=2 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
U|1|views = 15
U|2|likes = 4
int(16)
array(2) {
  ["likes"]=>
  int(4)
  ["none"]=>
  int(0)
}
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
array(0) {
}
