--TEST--
Period counters through a PHP Tally\NarrowingSink: rows carry period and period_start; get/getMany/history/sum read them exactly; a period row the database rejects is set aside alone (named with its period, listed by failed() with it) while the key's lifetime counter and other periods commit, and it syncs once after retryFailed()
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
foreach (Tally\Database::schema('sqlite', 'mc_345') as $ddl) {
    $pdo->exec($ddl);
}
$rows = fn () => implode(', ', array_map(fn ($r) => "$r[0].$r[1]" . ($r[2] === '' ? '' : ".$r[2].$r[3]") . "=$r[4]",
    $pdo->query("SELECT owner_id, key, period, period_start, count FROM mc_345 ORDER BY owner_id, key, period, period_start")->fetchAll(PDO::FETCH_NUM)));
$c = new Tally\Counter(tally_opts());
$sink = new NarrowingPdoSink($pdo, 'mc_345');
$reads = fn () => json_encode([$c->get($sink, 'Doc', 1, 'dl'), $c->get($sink, 'Doc', 1, 'dl', 'month', '2026-12-09'),
    $c->getMany($sink, 'Doc', 1, ['dl', 'x'], 'day', '2026-12-02'), $c->history($sink, 'Doc', 1, 'dl', 'day', 3, '2026-12-03'),
    $c->sum($sink, 'Doc', 1, 'dl', 'day', '2026-12-01', '2026-12-31'), $c->sum($sink, 'Doc', 1, 'dl', 'day', null, '2026-12-02')]);

$c->increment('Doc', 1, 'dl', 4, ['', 'day', 'month'], '2026-12-02');
$c->increment('Doc', 1, 'dl', 6, ['', 'day', 'month'], '2026-12-03');
echo "pending: ", $reads(), "\n";
echo tally_report($c->sync($sink)), "\n";
echo "synced: ", $reads(), "\n";
echo "sql: ", $rows(), "\n";

// The day row of 2026-12-03 is near the top of BIGINT: adding to it is refused (the
// schema's CHECK); the lifetime row and the month row of the same increment commit.
$pdo->exec("UPDATE mc_345 SET count = " . (PHP_INT_MAX - 1) . " WHERE period = 'day' AND period_start = '2026-12-03'");
$c->increment('Doc', 1, 'dl', 5, ['', 'day', 'month'], '2026-12-03');
$r = $c->sync($sink);
echo tally_report($r), "\n";
echo "sql: ", $rows(), "\n";
echo "failed: ", json_encode($c->failed()), "\n";
echo "read: ", $c->get($sink, 'Doc', 1, 'dl'), " ", $c->get($sink, 'Doc', 1, 'dl', 'month', '2026-12-01'), "\n";
// Fixed by hand, re-queued: synced once, into the day row only.
$pdo->exec("UPDATE mc_345 SET count = 6 WHERE period = 'day' AND period_start = '2026-12-03'");
echo "retried: ", count($c->retryFailed()), "\n";
echo tally_report($c->sync($sink)), "\n";
echo tally_report($c->sync($sink)), "\n";
echo "sql: ", $rows(), "\n";
echo "reads: ", $reads(), "\n";
// A PHP sink's read() answering the earlier shape (key => [count, seq]) is refused.
final class OldShapeSink extends NarrowingPdoSink
{
    public function read(string $ownerType, string $ownerId, ?array $keys, string $period = '', string $from = '1970-01-01', string $to = '1970-01-01'): array
    {
        return ['dl' => [1, 1]];
    }
}
tally_try(fn () => $c->get(new OldShapeSink($pdo, 'mc_345'), 'Doc', 1, 'dl'));
$c->forget('Doc', 1);
?>
--EXPECT--
pending: [10,10,{"dl":4,"x":0},{"2026-12-01":0,"2026-12-02":4,"2026-12-03":6},10,4]
synced=4 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
synced: [10,10,{"dl":4,"x":0},{"2026-12-01":0,"2026-12-02":4,"2026-12-03":6},10,4]
sql: 1.dl=10, 1.dl.day.2026-12-02=4, 1.dl.day.2026-12-03=6, 1.dl.month.2026-12-01=10
synced=2 set_aside=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[counter 'dl' (day 2026-12-03) of Doc #1 (delta 5) set aside, kept in Redis until retried: SQLSTATE[23000]: Integrity constraint violation: 19 CHECK constraint failed: typeof("count") = 'integer']
sql: 1.dl=15, 1.dl.day.2026-12-02=4, 1.dl.day.2026-12-03=9223372036854775806, 1.dl.month.2026-12-01=15
failed: [{"owner_type":"Doc","owner_id":"1","key":"dl","delta":5,"period":"day","period_start":"2026-12-03"}]
read: 15 15
retried: 1
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
sql: 1.dl=15, 1.dl.day.2026-12-02=4, 1.dl.day.2026-12-03=11, 1.dl.month.2026-12-01=15
reads: [15,15,{"dl":4,"x":0},{"2026-12-01":0,"2026-12-02":4,"2026-12-03":11},15,4]
Tally\DatabaseException: OldShapeSink::read() must return a list of [key, period_start 'Y-m-d', count, sync_seq]