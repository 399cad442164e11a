--TEST--
MariaDB: after the server ended the sink's session (KILL, as a restart does), the next reads reconnect and prepare their statements again: get(), getMany() and getAll() return the exact values, and keep doing so after a second KILL
--SKIPIF--
<?php $needs = ['redis', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$c->forget('T', 1);
$db = tally_db('mysql', 'mc_348');
$c->incrementMany('T', 1, ['a' => 10, 'b' => 20, 'c' => 30]);
$c->sync($db);
$c->incrementMany('T', 1, ['a' => 1, 'c' => 3]);
$m = tally_mysqli();
$read = function () use ($c, $db): void {
    echo json_encode([$c->get($db, 'T', 1, 'a'), $c->getMany($db, 'T', 1, ['a', 'b', 'c', 'd']), $c->getAll($db, 'T', 1)]), "\n";
};
$read();
for ($round = 1; $round <= 2; $round++) {
    $ids = tally_mysql_own_sessions($m);
    echo "killed: ", count($ids), "\n";
    foreach ($ids as $id) $m->query("KILL $id");
    // Until the server has let the sessions go (the client then sees its socket closed).
    for ($i = 0; $i < 500 && array_intersect($ids, tally_mysql_own_sessions($m)); $i++) usleep(10000);
    $read();
    $read();
}
$c->forget('T', 1);
unset($db);
tally_db_drop('mysql', 'mc_348');
?>
--EXPECT--
[11,{"a":11,"b":20,"c":33,"d":0},{"a":11,"b":20,"c":33}]
killed: 1
[11,{"a":11,"b":20,"c":33,"d":0},{"a":11,"b":20,"c":33}]
[11,{"a":11,"b":20,"c":33,"d":0},{"a":11,"b":20,"c":33}]
killed: 1
[11,{"a":11,"b":20,"c":33,"d":0},{"a":11,"b":20,"c":33}]
[11,{"a":11,"b":20,"c":33,"d":0},{"a":11,"b":20,"c":33}]