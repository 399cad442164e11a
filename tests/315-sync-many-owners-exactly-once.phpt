--TEST--
A run over thousands of owners (many SCAN pages, in which an owner's pending and claim keys can both turn up) writes every delta exactly once, with any batch size
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
// A private Redis: only these owners, so that SCAN pages (COUNT 1000) are the same every run.
$redis = tally_redis_child();
$port = $redis['port'];
$c = new Tally\Counter(tally_opts(['port' => $port]));
$prefix = $c->getPrefix();
$owners = 2000;
foreach (['sqlite', 'mysql'] as $driver) {
    $db = tally_db($driver, 'mc_315');
    // One batch for the whole run (its claims stay unwritten across every SCAN page), the
    // default, and batches smaller than a page.
    foreach ([1000000, null, 7] as $batch) {
        for ($i = 1; $i <= $owners; $i++) {
            $c->incrementMany('T', $i, ['a' => 1, 'b' => 2]);
        }
        $r = $c->sync($db, $batch ? ['batch_size' => $batch] : []);
        [$rows, $sum] = tally_sql($driver, 'mc_315', 'SELECT COUNT(*), SUM(count) FROM mc_315')[0];
        printf("%s batch_size %s: synced=%d owners=%d recovered=%d errors=%s rows=%d sum=%d keys left=%d\n",
            $driver, $batch ?? 'default', $r['synced'], $r['owners'], $r['recovered'], json_encode($r['errors']),
            $rows, $sum, count(tally_raw_keys($prefix, $port)));
    }
    $db = null;
    tally_db_drop($driver, 'mc_315');
}
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECT--
sqlite batch_size 1000000: synced=4000 owners=2000 recovered=0 errors=[] rows=4000 sum=6000 keys left=0
sqlite batch_size default: synced=4000 owners=2000 recovered=0 errors=[] rows=4000 sum=12000 keys left=0
sqlite batch_size 7: synced=4000 owners=2000 recovered=0 errors=[] rows=4000 sum=18000 keys left=0
mysql batch_size 1000000: synced=4000 owners=2000 recovered=0 errors=[] rows=4000 sum=6000 keys left=0
mysql batch_size default: synced=4000 owners=2000 recovered=0 errors=[] rows=4000 sum=12000 keys left=0
mysql batch_size 7: synced=4000 owners=2000 recovered=0 errors=[] rows=4000 sum=18000 keys left=0
