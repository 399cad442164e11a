--TEST--
SQLite and MariaDB: reads of many shapes alternating on one Tally\Database (1, 3, 600 and 1001 keys, lifetime and periods, by seq inside the read protocol, history and getAll) keep exact values while the sinks reuse their prepared statements; a read of an old-shaped table fails naming the upgrade and the same object reads right after createTables(); a column added by someone else under a kept statement changes nothing
--SKIPIF--
<?php $needs = ['redis', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
require __DIR__ . '/inc/old_schema.inc';

foreach (['sqlite', 'mysql'] as $driver) {
    echo "-- $driver\n";
    $table = 'mc_347';
    $c = new Tally\Counter(tally_opts());
    $c->forget('T', 1);
    $db = tally_db($driver, $table);
    // k<i> holds i in SQL for 0 < i <= 700 and 1000 pending on every third key; k0 and k701.. have none.
    $keys = array_map(fn ($i) => "k$i", range(0, 1000));
    for ($i = 1; $i < 700; $i += 100) {
        $c->incrementMany('T', 1, array_combine(array_slice($keys, $i, 100), range($i, $i + 99)));
    }
    $c->increment('T', 1, 'k5', 7, ['day'], '2024-03-05');
    $c->increment('T', 1, 'k5', 2, ['day'], '2024-03-06');
    $c->sync($db);
    foreach ($keys as $i => $k) {
        if ($i % 3 === 0) $c->increment('T', 1, $k, 1000);
    }
    $c->increment('T', 1, 'k5', 10, ['day'], '2024-03-05');
    $expect = fn (int $i): int => ($i > 0 && $i <= 700 ? $i : 0) + ($i % 3 === 0 ? 1000 : 0);
    $check = function (array $want, array $got, string $what): void {
        $bad = array_filter(array_keys($want), fn ($k) => ($got[$k] ?? null) !== $want[$k]);
        echo $what, ': ', count($want), ' keys ', $bad ? 'WRONG: ' . implode(',', array_slice($bad, 0, 5)) : 'ok', "\n";
    };
    $many = function (array $idx) use ($c, $db, $keys, $expect, $check): void {
        $want = [];
        foreach ($idx as $i) $want[$keys[$i]] = $expect($i);
        $check($want, $c->getMany($db, 'T', 1, array_keys($want)), 'getMany');
    };
    // Twice round, so that every shape is met again once it was kept (and some after others pushed it out).
    for ($round = 0; $round < 2; $round++) {
        echo "round $round\n";
        var_dump($c->get($db, 'T', 1, 'k3'), $c->get($db, 'T', 1, 'k4'), $c->get($db, 'T', 1, 'k800'));
        $many([1, 2, 3]);
        $many([4, 5, 6]);
        $many(range(0, 599));
        $many(range(400, 999));
        $many(range(0, 1000));
        var_dump($c->get($db, 'T', 1, 'k5', 'day', '2024-03-05'), $c->get($db, 'T', 1, 'k5', 'day', '2024-03-06'));
        var_dump($c->getMany($db, 'T', 1, ['k5', 'k6', 'k9'], 'day', '2024-03-05'));
        var_dump($c->history($db, 'T', 1, 'k5', 'day', 3, '2024-03-06'));
        $all = $c->getAll($db, 'T', 1);
        $want = [];
        foreach ($keys as $i => $k) if ($expect($i) !== 0) $want[$k] = $expect($i);
        ksort($all);
        ksort($want);
        echo 'getAll: ', count($all), ' keys ', $all === $want ? 'ok' : 'WRONG', "\n";
        for ($i = 1; $i <= 8; $i++) $many(range(10, 9 + $i));
    }
    // A column added under the kept statements: they are prepared again by the database itself.
    tally_sql($driver, $table, $driver === 'sqlite' ? "ALTER TABLE \"$table\" ADD COLUMN \"note\" VARCHAR(10) NULL"
        : "ALTER TABLE `$table` ADD COLUMN `note` VARCHAR(10) NULL");
    var_dump($c->get($db, 'T', 1, 'k3'));
    $many([1, 2, 3]);

    // An old-shaped table: the read fails naming the upgrade; nothing broken is kept, and after
    // createTables() the same object reads.
    echo "-- $driver: old shape\n";
    $c->forget('T', 1);
    tally_db_drop($driver, $table);
    foreach (tally_old_schema($driver, $table) as $sql) tally_sql($driver, $table, $sql);
    $old = new Tally\Database(tally_db_options($driver, $table));
    $c->increment('T', 1, 'a', 4);
    for ($i = 0; $i < 2; $i++) {
        try {
            $c->getMany($old, 'T', 1, ['a', 'b', 'c']);
        } catch (Tally\DatabaseException $e) {
            echo get_class($e), ': ', str_contains($e->getMessage(), 'earlier Tally release') ? 'names the upgrade' : $e->getMessage(), "\n";
        }
    }
    $old->createTables();
    var_dump($c->getMany($old, 'T', 1, ['a', 'b', 'c']), $c->get($old, 'T', 1, 'a'));
    $c->forget('T', 1);
    unset($db, $old);
    tally_db_drop($driver, $table);
}
?>
--EXPECT--
-- sqlite
round 0
int(1003)
int(4)
int(0)
getMany: 3 keys ok
getMany: 3 keys ok
getMany: 600 keys ok
getMany: 600 keys ok
getMany: 1001 keys ok
int(17)
int(2)
array(3) {
  ["k5"]=>
  int(17)
  ["k6"]=>
  int(0)
  ["k9"]=>
  int(0)
}
array(3) {
  ["2024-03-04"]=>
  int(0)
  ["2024-03-05"]=>
  int(17)
  ["2024-03-06"]=>
  int(2)
}
getAll: 801 keys ok
getMany: 1 keys ok
getMany: 2 keys ok
getMany: 3 keys ok
getMany: 4 keys ok
getMany: 5 keys ok
getMany: 6 keys ok
getMany: 7 keys ok
getMany: 8 keys ok
round 1
int(1003)
int(4)
int(0)
getMany: 3 keys ok
getMany: 3 keys ok
getMany: 600 keys ok
getMany: 600 keys ok
getMany: 1001 keys ok
int(17)
int(2)
array(3) {
  ["k5"]=>
  int(17)
  ["k6"]=>
  int(0)
  ["k9"]=>
  int(0)
}
array(3) {
  ["2024-03-04"]=>
  int(0)
  ["2024-03-05"]=>
  int(17)
  ["2024-03-06"]=>
  int(2)
}
getAll: 801 keys ok
getMany: 1 keys ok
getMany: 2 keys ok
getMany: 3 keys ok
getMany: 4 keys ok
getMany: 5 keys ok
getMany: 6 keys ok
getMany: 7 keys ok
getMany: 8 keys ok
int(1003)
getMany: 3 keys ok
-- sqlite: old shape
Tally\DatabaseException: names the upgrade
Tally\DatabaseException: names the upgrade
array(3) {
  ["a"]=>
  int(4)
  ["b"]=>
  int(0)
  ["c"]=>
  int(0)
}
int(4)
-- mysql
round 0
int(1003)
int(4)
int(0)
getMany: 3 keys ok
getMany: 3 keys ok
getMany: 600 keys ok
getMany: 600 keys ok
getMany: 1001 keys ok
int(17)
int(2)
array(3) {
  ["k5"]=>
  int(17)
  ["k6"]=>
  int(0)
  ["k9"]=>
  int(0)
}
array(3) {
  ["2024-03-04"]=>
  int(0)
  ["2024-03-05"]=>
  int(17)
  ["2024-03-06"]=>
  int(2)
}
getAll: 801 keys ok
getMany: 1 keys ok
getMany: 2 keys ok
getMany: 3 keys ok
getMany: 4 keys ok
getMany: 5 keys ok
getMany: 6 keys ok
getMany: 7 keys ok
getMany: 8 keys ok
round 1
int(1003)
int(4)
int(0)
getMany: 3 keys ok
getMany: 3 keys ok
getMany: 600 keys ok
getMany: 600 keys ok
getMany: 1001 keys ok
int(17)
int(2)
array(3) {
  ["k5"]=>
  int(17)
  ["k6"]=>
  int(0)
  ["k9"]=>
  int(0)
}
array(3) {
  ["2024-03-04"]=>
  int(0)
  ["2024-03-05"]=>
  int(17)
  ["2024-03-06"]=>
  int(2)
}
getAll: 801 keys ok
getMany: 1 keys ok
getMany: 2 keys ok
getMany: 3 keys ok
getMany: 4 keys ok
getMany: 5 keys ok
getMany: 6 keys ok
getMany: 7 keys ok
getMany: 8 keys ok
int(1003)
getMany: 3 keys ok
-- mysql: old shape
Tally\DatabaseException: names the upgrade
Tally\DatabaseException: names the upgrade
array(3) {
  ["a"]=>
  int(4)
  ["b"]=>
  int(0)
  ["c"]=>
  int(0)
}
int(4)