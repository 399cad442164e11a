--TEST--
getForMany() reads many owners exactly in one pipeline and one query (synced rows, pending, in flight, a stale run's claim, periods, the buffer), top() ranks the owners of a type and topKeys() the keys of an owner by exact value (pending deltas change the order), on SQLite, MySQL and PHP sinks (a plain Sink is read once per owner and cannot rank); bad arguments are typed errors
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
pdo
pdo_sqlite
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
require __DIR__ . '/inc/pdo_sink.inc';

$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$pdo = new PDO('sqlite::memory:', null, null, [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
foreach (Tally\Database::schema('sqlite', 'mc_347') as $ddl) {
    $pdo->exec($ddl);
}
$sinks = [
    'sqlite' => fn () => tally_db('sqlite', 'mc_347'),
    'mysql' => fn () => tally_db('mysql', 'mc_347'),
    'bulk php sink' => fn () => new BulkPdoSink($pdo, 'mc_347'),
];
foreach ($sinks as $name => $make) {
    echo "-- $name\n";
    $db = $make();
    // Synced: P1 dl 5, P2 dl 7 + views 1, P3 dl 9; then pending on top.
    $c->increment('P', 1, 'dl', 5);
    $c->incrementMany('P', 2, ['dl' => 7, 'views' => 1]);
    $c->increment('P', 3, 'dl', 9);
    $c->increment('P', 3, 'dl', 4, ['day'], '2026-12-01');
    echo tally_report($c->sync($db)), "\n";
    $c->increment('P', 1, 'dl', 10);      // pending: 15, now first
    $c->decrement('P', 3, 'dl', 8);       // pending: 1, now last
    $c->increment('P', 4, 'dl', 7);       // only pending: ties with P2 at 7
    $c->increment('P', 3, 'dl', 2, ['day'], '2026-12-01');
    // In flight: a claim holding 3 more of P2's dl whose seq is not in SQL.
    tally_raw(['HSET', $prefix . '{P:2}:c', '', '999999', 'dl', '3']);
    echo "many: ", json_encode($c->getForMany($db, 'P', [1, '2', 3, 4, 5], ['dl', 'views'])), "\n";
    echo "one by one: ", json_encode(array_map(fn ($id) => $c->getMany($db, 'P', $id, ['dl', 'views']), [1, 2, 3, 4, 5])), "\n";
    echo "day: ", json_encode($c->getForMany($db, 'P', [3, 4], ['dl'], 'day', '2026-12-01')), json_encode($c->getForMany($db, 'P', [3], ['dl'], 'day', '2026-12-02')), "\n";
    echo "top: ", json_encode($c->top($db, 'P', 'dl', 3)), "\n";
    echo "top all: ", json_encode($c->top($db, 'P', 'dl', 100)), "\n";
    echo "top views: ", json_encode($c->top($db, 'P', 'views', 10)), "\n";
    echo "top day: ", json_encode($c->top($db, 'P', 'dl', 10, 'day', '2026-12-01')), "\n";
    echo "top other type: ", json_encode($c->top($db, 'Q', 'dl', 10)), "\n";
    echo "top keys: ", json_encode($c->topKeys($db, 'P', 2, 10)), "\n";
    echo "top keys 1: ", json_encode($c->topKeys($db, 'P', 2, 1)), "\n";
    echo "top keys day: ", json_encode($c->topKeys($db, 'P', 3, 10, 'day', '2026-12-01')), "\n";
    tally_raw(['DEL', $prefix . '{P:2}:c']);
    foreach ([1, 2, 3, 4] as $id) {
        $c->forget('P', $id);
    }
    $db = null;
    if ($name !== 'bulk php sink') {
        tally_db_drop($name, 'mc_347');
    }
}

echo "-- a stale run's claim (row newer than the claim) is read again alone, and counts\n";
$db = tally_db('sqlite', 'mc_347');
$c->incrementMany('T', 1, ['a' => 5, 'b' => 7]);
$c->sync($db);
tally_raw(['HSET', $prefix . '{T:1}:c', '', '1', 'a', '3']);
echo json_encode($c->getForMany($db, 'T', [1], ['a', 'b'])), " = ", json_encode($c->getMany($db, 'T', 1, ['a', 'b'])), "\n";
tally_raw(['DEL', $prefix . '{T:1}:c']);
$c->forget('T', 1);

echo "-- the buffer\n";
$b = new Tally\Counter(tally_opts(['buffer' => true]));
$b->increment('P', 1, 'dl', 3);
$b->increment('P', 1, 'other', 50);
$b->increment('P', 9, 'dl', 1);
echo json_encode($b->getForMany($db, 'P', [1, 9], ['dl'])), "\n";
echo json_encode($b->topKeys($db, 'P', 1, 10)), "\n";
$b->flush();
$c->forget('P', 1);
$c->forget('P', 9);

echo "-- many owners, many keys (chunked statements)\n";
$ids = range(1, 700);
foreach (array_chunk($ids, 100) as $chunk) {
    foreach ($chunk as $id) {
        $c->increment('M', $id, 'k' . ($id % 3), $id);
    }
}
echo tally_report($c->sync($db)), "\n";
$c->increment('M', 700, 'k1', 1000);
$keys = array_map(fn ($i) => "k$i", range(0, 299));
$many = $c->getForMany($db, 'M', $ids, $keys);
$sum = 0;
foreach ($many as $row) {
    $sum += array_sum($row);
}
echo count($many), " owners, ", count($many[1]), " keys, sum ", $sum, " (expected ", array_sum($ids) + 1000, ")\n";
echo "top: ", json_encode($c->top($db, 'M', 'k1', 3)), "\n";
foreach ($ids as $id) {
    $c->forget('M', $id);
}

echo "-- a plain Tally\\Sink: getForMany() reads owner by owner, top() is refused\n";
$plain = new PdoSink($pdo, 'mc_347');
$c->increment('P', 1, 'dl', 2);
$c->increment('P', 2, 'dl', 3);
echo json_encode($c->getForMany($plain, 'P', [1, 2], ['dl'])), "\n";
tally_try(fn () => $c->top($plain, 'P', 'dl'));
tally_try(fn () => $c->topKeys($plain, 'P', 1));
$bulk = new BulkPdoSink($pdo, 'mc_347');
$c->getForMany($bulk, 'P', [1, 2, 3], ['dl', 'x']);
echo "readMany calls for one getForMany(): ", $bulk->readManyCalls, "\n";

echo "-- errors\n";
tally_try(fn () => $c->getForMany($db, 'P', [1, [2]], ['dl']));
tally_try(fn () => $c->getForMany($db, 'P', [1], ['']));
tally_try(fn () => $c->getForMany($db, 'P', [1], ['dl'], 'fortnight'));
tally_try(fn () => $c->getForMany($db, 'P', range(1, 10001), ['dl']));
tally_try(fn () => $c->getForMany(new stdClass(), 'P', [1], ['dl']));
tally_try(fn () => $c->top($db, 'P', 'dl', 0));
tally_try(fn () => $c->top($db, 'P', 'dl', 10001));
tally_try(fn () => $c->top($db, 'P', '', 10));
tally_try(fn () => $c->top($db, 'P', 'dl', 10, 'day', 'yesterday'));
tally_try(fn () => $c->topKeys($db, 'P', 1, -1));
echo "empty: ", json_encode($c->getForMany($db, 'P', [], ['dl'])), json_encode($c->getForMany($db, 'P', [1], [])), "\n";
$c->forget('P', 1);
$c->forget('P', 2);
$db = null;
tally_db_drop('sqlite', 'mc_347');
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
-- sqlite
synced=5 owners=3 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
many: {"1":{"dl":15,"views":0},"2":{"dl":10,"views":1},"3":{"dl":1,"views":0},"4":{"dl":7,"views":0},"5":{"dl":0,"views":0}}
one by one: [{"dl":15,"views":0},{"dl":10,"views":1},{"dl":1,"views":0},{"dl":7,"views":0},{"dl":0,"views":0}]
day: {"3":{"dl":6},"4":{"dl":0}}{"3":{"dl":0}}
top: {"1":15,"2":10,"4":7}
top all: {"1":15,"2":10,"4":7,"3":1}
top views: {"2":1}
top day: {"3":6}
top other type: []
top keys: {"dl":10,"views":1}
top keys 1: {"dl":10}
top keys day: {"dl":6}
-- mysql
synced=5 owners=3 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
many: {"1":{"dl":15,"views":0},"2":{"dl":10,"views":1},"3":{"dl":1,"views":0},"4":{"dl":7,"views":0},"5":{"dl":0,"views":0}}
one by one: [{"dl":15,"views":0},{"dl":10,"views":1},{"dl":1,"views":0},{"dl":7,"views":0},{"dl":0,"views":0}]
day: {"3":{"dl":6},"4":{"dl":0}}{"3":{"dl":0}}
top: {"1":15,"2":10,"4":7}
top all: {"1":15,"2":10,"4":7,"3":1}
top views: {"2":1}
top day: {"3":6}
top other type: []
top keys: {"dl":10,"views":1}
top keys 1: {"dl":10}
top keys day: {"dl":6}
-- bulk php sink
synced=5 owners=3 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
many: {"1":{"dl":15,"views":0},"2":{"dl":10,"views":1},"3":{"dl":1,"views":0},"4":{"dl":7,"views":0},"5":{"dl":0,"views":0}}
one by one: [{"dl":15,"views":0},{"dl":10,"views":1},{"dl":1,"views":0},{"dl":7,"views":0},{"dl":0,"views":0}]
day: {"3":{"dl":6},"4":{"dl":0}}{"3":{"dl":0}}
top: {"1":15,"2":10,"4":7}
top all: {"1":15,"2":10,"4":7,"3":1}
top views: {"2":1}
top day: {"3":6}
top other type: []
top keys: {"dl":10,"views":1}
top keys 1: {"dl":10}
top keys day: {"dl":6}
-- a stale run's claim (row newer than the claim) is read again alone, and counts
{"1":{"a":8,"b":7}} = {"a":8,"b":7}
-- the buffer
{"1":{"dl":3},"9":{"dl":1}}
{"other":50,"dl":3}
-- many owners, many keys (chunked statements)
synced=700 owners=700 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
700 owners, 300 keys, sum 246350 (expected 246350)
top: {"700":1700,"697":697,"694":694}
-- a plain Tally\Sink: getForMany() reads owner by owner, top() is refused
{"1":{"dl":7},"2":{"dl":10}}
Tally\DatabaseException: PdoSink cannot rank counters: a top list needs a Tally\BulkReadSink (its top() method)
Tally\DatabaseException: PdoSink cannot rank counters: a top list needs a Tally\BulkReadSink (its top() method)
readMany calls for one getForMany(): 1
-- errors
Tally\InvalidArgumentException: ownerIds must hold key names (strings), array found at position 1
Tally\InvalidArgumentException: counter key must not be empty
Tally\InvalidArgumentException: period must be null, '' (the lifetime counter), 'day', 'week', 'month', 'quarter' or 'year', got 'fortnight'
Tally\InvalidArgumentException: getForMany() reads at most 10000 owners and 10000 keys at once, 10001 owners and 1 keys given
TypeError: Tally\Counter::getForMany(): Argument #1 ($database) must be of type Tally\Database|Tally\Sink, stdClass given
Tally\InvalidArgumentException: limit must be 1 to 10000, got 0
Tally\InvalidArgumentException: limit must be 1 to 10000, got 10001
Tally\InvalidArgumentException: counter key must not be empty
Tally\InvalidArgumentException: at must be a date 'Y-m-d' from 1970-01-01 to 9999-12-31, got 'yesterday'
Tally\InvalidArgumentException: limit must be 1 to 10000, got -1
empty: []{"1":[]}
array(0) {
}