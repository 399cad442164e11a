--TEST--
Option 'cluster' takes "host:port" seeds as a list or a comma-separated string (or ini tally.cluster), names a bad entry, refuses database != 0
--SKIPIF--
<?php $needs = ['cluster']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/cluster.inc';
$bad = [
    ['cluster' => []],
    ['cluster' => ''],
    ['cluster' => ['127.0.0.1']],
    ['cluster' => ['127.0.0.1:0']],
    ['cluster' => ['127.0.0.1:7000', 'nohost:x1']],
    ['cluster' => ['127.0.0.1:7000', 7001]],
    ['cluster' => '127.0.0.1:7000,'],
    ['cluster' => 7000],
    ['cluster' => tc_nodes(), 'database' => 1],
    ['cluster' => tc_nodes(), 'prefix' => 'a{b}:'],
];
foreach ($bad as $o) {
    tally_try(fn () => new Tally\Counter($o));
}
// A comma-separated string, and the ini setting, work like the list.
$c = new Tally\Counter(['cluster' => implode(',', tc_nodes()), 'prefix' => 'tt:071:']);
var_dump($c->incrementKey('k', 5));
ini_set('tally.cluster', tc_nodes()[1]);
$d = new Tally\Counter(['prefix' => 'tt:071:']);
var_dump($d->getKey('k'));
ini_set('tally.cluster', '');
// Seeds that are all down: ConnectionException at construction.
tally_try(fn () => new Tally\Counter(['cluster' => ['127.0.0.1:' . tally_free_port()], 'connect_timeout' => 0.5]));
var_dump($c->deleteKeys(['k']));
?>
--EXPECTF--
Tally\InvalidArgumentException: option 'cluster': cluster needs at least one 'host:port' seed
Tally\InvalidArgumentException: option 'cluster': cluster needs at least one 'host:port' seed
Tally\InvalidArgumentException: option 'cluster': seed '127.0.0.1' is not 'host:port' (port 1-65535)
Tally\InvalidArgumentException: option 'cluster': seed '127.0.0.1:0' is not 'host:port' (port 1-65535)
Tally\InvalidArgumentException: option 'cluster': seed 'nohost:x1' is not 'host:port' (port 1-65535)
Tally\InvalidArgumentException: option 'cluster' must list "host:port" strings, int given as an entry
Tally\InvalidArgumentException: option 'cluster': cluster seed list ends with ','
Tally\InvalidArgumentException: option 'cluster' must be of type array|string, int given
Tally\InvalidArgumentException: option 'database' must be 0 on a Redis Cluster (it has no other), 1 given
Tally\InvalidArgumentException: option 'prefix' must not contain '{' or '}': the hash tag of a key is its owner's
int(5)
int(5)
Tally\ConnectionException: cannot connect to Redis at 127.0.0.1:%d: Connection refused
int(1)
