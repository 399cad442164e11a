--TEST--
A Tally\NarrowingSink that throws Tally\RejectedException gets the rejected counter set aside while every other counter commits exactly once, and synced once retryFailed() follows the fix; a plain Tally\Sink throwing it fails the batch whole and loses nothing
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
pdo
pdo_sqlite
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';

require __DIR__ . '/inc/pdo_sink.inc';

$pdo = new PDO('sqlite::memory:', null, null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
foreach (Tally\Database::schema('sqlite', 'mc_333') as $ddl) {
    $pdo->exec($ddl);
}
$sql = fn (string $q) => implode(' ', $pdo->query($q)->fetch(PDO::FETCH_NUM));
$sum = fn () => $sql("SELECT COUNT(*), SUM(count) FROM mc_333 WHERE owner_type = 'T'");
$big = fn () => $sql("SELECT count FROM mc_333 WHERE owner_type = 'Big'");
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$failed = fn () => json_encode($c->failed());
$keys = fn () => implode(' ', array_map(fn ($k) => substr($k, strlen($prefix)), tally_raw_keys($prefix)));

echo "-- NarrowingSink\n";
$sink = new NarrowingPdoSink($pdo, 'mc_333');
$c->increment('Big', 1, 'n', PHP_INT_MAX - 1);
echo tally_report($c->sync($sink)), "\n";
for ($i = 1; $i <= 20; $i++) {
    $c->incrementMany('T', $i, ['a' => 1, 'b' => 2]);
}
$c->increment('Big', 1, 'n', 5);
echo tally_report($c->sync($sink, ['batch_size' => 7])), "\n";
echo "tries: {$sink->tries}, sql: ", $sum(), " big=", $big(), "\n";
echo "keys: ", $keys(), "\n";
echo "failed: ", $failed(), "\n";
echo "read: ", $c->get($sink, 'T', 20, 'b'), "\n";
// A second run writes nothing twice and keeps the counter aside.
echo tally_report($c->sync($sink)), "\n";
echo "sql: ", $sum(), " big=", $big(), " failed: ", $failed(), "\n";
// The cause fixed by hand, the counter re-queued: synced once.
$pdo->exec("UPDATE mc_333 SET count = 100 WHERE owner_type = 'Big'");
echo "retried: ", json_encode($c->retryFailed()), "\n";
echo tally_report($c->sync($sink)), "\n";
echo tally_report($c->sync($sink)), "\n";
echo "sql: ", $sum(), " big=", $big(), " read=", $c->get($sink, 'Big', 1, 'n'), " failed: ", $failed(), "\n";

echo "-- plain Sink\n";
$sink = new PdoSink($pdo, 'mc_333');
$pdo->exec("UPDATE mc_333 SET count = " . (PHP_INT_MAX - 1) . " WHERE owner_type = 'Big'");
$c->increment('Big', 1, 'n', 5);
$c->increment('T', 1, 'a', 10);
tally_try(fn () => $c->sync($sink));
tally_try(fn () => $c->sync($sink));
echo "sql: ", $sum(), " big=", $big(), " read=", $c->get($sink, 'T', 1, 'a'), " failed: ", $failed(), "\n";
echo "keys: ", $keys(), "\n";
$pdo->exec("UPDATE mc_333 SET count = 100 WHERE owner_type = 'Big'");
echo tally_report($c->sync($sink)), "\n";
echo "sql: ", $sum(), " big=", $big(), " read=", $c->get($sink, 'T', 1, 'a'), " keys: ", $keys(), "\n";
foreach (tally_raw_keys($prefix) as $k) {
    tally_raw(['DEL', $k]);
}
?>
--EXPECT--
-- NarrowingSink
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
synced=40 set_aside=1 owners=21 batches=7 skipped=0 recovered=0 locked=false incomplete=false errors=[counter 'n' of Big #1 (delta 5) set aside, kept in Redis until retried: SQLSTATE[23000]: Integrity constraint violation: 19 CHECK constraint failed: typeof("count") = 'integer']
tries: 4, sql: 40 60 big=9223372036854775806
keys: {Big:1}:f
failed: [{"owner_type":"Big","owner_id":"1","key":"n","delta":5,"period":"","period_start":"1970-01-01"}]
read: 2
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
sql: 40 60 big=9223372036854775806 failed: [{"owner_type":"Big","owner_id":"1","key":"n","delta":5,"period":"","period_start":"1970-01-01"}]
retried: [{"owner_type":"Big","owner_id":"1","key":"n","delta":5,"period":"","period_start":"1970-01-01"}]
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
sql: 40 60 big=105 read=105 failed: []
-- plain Sink
Tally\RejectedException: SQLSTATE[23000]: Integrity constraint violation: 19 CHECK constraint failed: typeof("count") = 'integer'
Tally\RejectedException: SQLSTATE[23000]: Integrity constraint violation: 19 CHECK constraint failed: typeof("count") = 'integer'
sql: 40 60 big=9223372036854775806 read=11 failed: []
keys: {Big:1}:c {T:1}:c {}:sync:fence
synced=2 owners=2 batches=1 skipped=0 recovered=2 locked=false incomplete=false errors=[]
sql: 40 70 big=105 read=11 keys:
