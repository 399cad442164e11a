--TEST--
A one-key read (history, sum) keeps the rows of that key only, whatever else the owner holds in SQL and in Redis: exact values, and a sum past 64 bits throws Tally\OverflowException naming the key, on SQLite and MariaDB
--SKIPIF--
<?php $needs = ['mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $db = tally_db($driver, 'reads_one_key');
    $c->forget('Doc', 1);
    // In SQL: three days of 'dl', the same days of 'dm' (a key of the same length and
    // prefix), and 'dl' of another owner.
    foreach (['2026-12-01' => 1, '2026-12-02' => 2, '2026-12-03' => 3] as $day => $n) {
        $c->increment('Doc', 1, 'dl', $n, ['', 'day'], $day);
        $c->increment('Doc', 1, 'dm', 100 * $n, ['', 'day'], $day);
        $c->increment('Doc', 2, 'dl', 1000 * $n, ['', 'day'], $day);
    }
    $c->sync($db);
    // Pending on top, of both keys.
    $c->increment('Doc', 1, 'dl', 10, ['', 'day'], '2026-12-03');
    $c->increment('Doc', 1, 'dl', 20, ['', 'day'], '2026-12-04');
    $c->increment('Doc', 1, 'dm', 5000, ['', 'day'], '2026-12-04');
    echo json_encode($c->history($db, 'Doc', 1, 'dl', 'day', 5, '2026-12-04')), "\n";
    echo json_encode($c->history($db, 'Doc', 1, 'dm', 'day', 2, '2026-12-04')), "\n";
    var_dump($c->sum($db, 'Doc', 1, 'dl', 'day', '2026-12-01', '2026-12-04'), $c->sum($db, 'Doc', 1, 'dm', 'day', '2026-12-02', '2026-12-03'));
    var_dump($c->get($db, 'Doc', 1, 'dl'), $c->getAll($db, 'Doc', 1));
    // Two days near PHP_INT_MAX: each fits, their sum does not.
    $c->increment('Doc', 1, 'big', PHP_INT_MAX - 1, ['day'], '2026-12-01');
    $c->increment('Doc', 1, 'big', 2, ['day'], '2026-12-02');
    try {
        $c->sum($db, 'Doc', 1, 'big', 'day', '2026-12-01', '2026-12-02');
    } catch (Tally\OverflowException $e) {
        echo get_class($e), ': ', $e->getMessage(), "\n";
    }
    $c->forget('Doc', 1);
    $c->forget('Doc', 2);
    tally_db_drop($driver, 'reads_one_key');
}
?>
--EXPECT--
-- sqlite
{"2026-11-30":0,"2026-12-01":1,"2026-12-02":2,"2026-12-03":13,"2026-12-04":20}
{"2026-12-03":300,"2026-12-04":5000}
int(36)
int(500)
int(36)
array(2) {
  ["dl"]=>
  int(36)
  ["dm"]=>
  int(5600)
}
Tally\OverflowException: counter 'big': the stored value plus the pending deltas does not fit in 64 bits
-- mysql
{"2026-11-30":0,"2026-12-01":1,"2026-12-02":2,"2026-12-03":13,"2026-12-04":20}
{"2026-12-03":300,"2026-12-04":5000}
int(36)
int(500)
int(36)
array(2) {
  ["dl"]=>
  int(36)
  ["dm"]=>
  int(5600)
}
Tally\OverflowException: counter 'big': the stored value plus the pending deltas does not fit in 64 bits
