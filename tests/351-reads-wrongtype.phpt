--TEST--
Exact reads (get, getMany, getAll, getForMany, history, sum, topKeys) of an owner whose pending, in-flight or set-aside hash holds another type throw Tally\WrongTypeException naming the read, on the MULTI snapshot (one Redis) as on the script (clusters), and read again once the key is fixed
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$p = $c->getPrefix();
$db = tally_db('sqlite', 'mc_351');
$c->increment('Shop', 1, 'a', 4);
$reads = [
    'get' => fn () => $c->get($db, 'Shop', 1, 'a'),
    'getMany' => fn () => $c->getMany($db, 'Shop', 1, ['a', 'b']),
    'getAll' => fn () => $c->getAll($db, 'Shop', 1),
    'getForMany' => fn () => $c->getForMany($db, 'Shop', [1, 2], ['a']),
    'history' => fn () => $c->history($db, 'Shop', 1, 'a', 'day', 3, '2026-12-02'),
    'sum' => fn () => $c->sum($db, 'Shop', 1, 'a', 'day'),
    'topKeys' => fn () => $c->topKeys($db, 'Shop', 1),
];
foreach (['{Shop:1}:c', '{Shop:1}:f'] as $bad) {
    echo "-- $bad is a string\n";
    tally_raw(['SET', $p . $bad, 'x']);
    foreach ($reads as $name => $read) {
        try {
            $read();
            echo "$name: no error\n";
        } catch (Tally\WrongTypeException $e) {
            echo "$name: ", get_class($e), ' ', json_encode(str_starts_with($e->getMessage(), 'reading counters: WRONGTYPE')), "\n";
        }
    }
    tally_raw(['DEL', $p . $bad]);
}
echo "fixed: ", $c->get($db, 'Shop', 1, 'a'), ' ', json_encode($c->getAll($db, 'Shop', 1)), "\n";
$c->forget('Shop', 1);
$db = null;
tally_db_drop('sqlite', 'mc_351');
var_dump(tally_raw_keys($p));
?>
--EXPECT--
-- {Shop:1}:c is a string
get: Tally\WrongTypeException true
getMany: Tally\WrongTypeException true
getAll: Tally\WrongTypeException true
getForMany: Tally\WrongTypeException true
history: Tally\WrongTypeException true
sum: Tally\WrongTypeException true
topKeys: Tally\WrongTypeException true
-- {Shop:1}:f is a string
get: Tally\WrongTypeException true
getMany: Tally\WrongTypeException true
getAll: Tally\WrongTypeException true
getForMany: Tally\WrongTypeException true
history: Tally\WrongTypeException true
sum: Tally\WrongTypeException true
topKeys: Tally\WrongTypeException true
fixed: 4 {"a":4}
array(0) {
}