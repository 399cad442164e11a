--TEST--
Bad sync options, bad Tally\Database options and unusable SQLite paths throw typed exceptions naming the problem, and schema() returns the two CREATE TABLE statements of a dialect
--SKIPIF--
<?php $needs = ['redis-server', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
// A private Redis: this test's keys alone, whatever else the shared one holds.
$redis = tally_redis_child();
$port = $redis['port'];
$c = new Tally\Counter(tally_opts(['port' => $port]));
$prefix = $c->getPrefix();
$db = tally_db('sqlite', 'mc_307');
$c->increment('T', 1, 'n', 3);
echo "-- sync options\n";
foreach ([
    ['nope' => 1],
    [0 => 1],
    ['batch_size' => 0],
    ['batch_size' => '5'],
    ['batch_size' => 2000000],
    ['dry_run' => 'yes'],
    ['dry_run' => 1],
    ['lock_ttl' => 0.5],
    ['lock_ttl' => 0],
    ['time_budget' => -1],
    ['time_budget' => 'soon'],
    ['progress' => 'not callable'],
    ['progress' => [new stdClass(), 'nope']],
    ['pattern' => ['T']],
] as $opts) {
    tally_try(fn () => $c->sync($db, $opts));
}
// None of them touched anything.
var_dump(tally_raw_keys($prefix, $port), $c->get($db, 'T', 1, 'n'));

echo "-- Database options\n";
$sqlite = tally_db_options('sqlite', 'mc_307');
$mysql = tally_db_options('mysql', 'mc_307');
$missingDir = sys_get_temp_dir() . '/tally-307-missing-' . getmypid() . '/db.sqlite';
foreach ([
    [],
    ['driver' => 'oracle'],
    ['driver' => 'pgsql'],
    ['driver' => 5],
    ['nope' => 1] + $sqlite,
    [0 => 'sqlite'],
    ['port' => '3306'] + $mysql,
    ['port' => 0] + $mysql,
    ['port' => 65536] + $mysql,
    ['connect_timeout' => 0] + $mysql,
    ['busy_timeout' => -1] + $sqlite,
    ['table' => 'bad-name'] + $sqlite,
    ['table' => 'bad-name'] + $mysql,
    ['table' => ''] + $sqlite,
    ['table' => str_repeat('t', 57)] + $sqlite,
    ['table' => "a\0b"] + $sqlite,
    ['driver' => 'sqlite'],
    ['path' => ':memory:'] + $sqlite,
    ['path' => $missingDir] + $sqlite,
    ['database' => ''] + $mysql,
    ['password' => 'wrong-password-307'] + $mysql,
    ['port' => tally_free_port(), 'connect_timeout' => 1] + $mysql,
] as $opts) {
    tally_try(function () use ($opts) {
        $d = new Tally\Database($opts);
        $d->createTables();
        return $d->getDriver() . ' ' . $d->getTable();
    });
}
// The longest table name, and the other spelling of the MySQL driver.
$long = str_repeat('t', 56);
tally_try(function () use ($long) {
    $d = new Tally\Database(tally_db_options('sqlite', $long));
    $d->createTables();
    return strlen($d->getTable());
});
tally_db_drop('sqlite', $long);
tally_try(fn () => (new Tally\Database(['driver' => 'mariadb'] + $mysql))->getDriver());

echo "-- schema\n";
foreach (['mysql', 'mariadb', 'sqlite', 'pgsql'] as $driver) {
    $ddl = Tally\Database::schema($driver, 't');
    echo $driver, ': ', count($ddl);
    foreach ($ddl as $sql) {
        preg_match('/^CREATE TABLE IF NOT EXISTS [`"](\w+)[`"] \(/', $sql, $m);
        echo ' [', $m[1] ?? 'no match: ' . substr($sql, 0, 40), ']';
    }
    echo "\n";
}
var_dump(Tally\Database::schema('mysql') === Tally\Database::schema('mysql', 'model_counters'));
var_dump(Tally\Database::schema('mysql', 't') === Tally\Database::schema('mariadb', 't'));
tally_try(fn () => Tally\Database::schema('oracle', 't'));
tally_try(fn () => Tally\Database::schema('sqlite', 'bad-name'));
tally_try(fn () => Tally\Database::schema('sqlite', str_repeat('t', 57)));
tally_try(fn () => Tally\Database::schema('sqlite', "a\0b"));
$db = null;
tally_db_drop('sqlite', 'mc_307');
$c->forget('T', 1);
$c = null;
tally_redis_child_stop($redis);
?>
--EXPECTF--
-- sync options
Tally\InvalidArgumentException: unknown sync option 'nope'; valid options are: batch_size, dry_run, pattern, time_budget, lock_ttl, progress, on_batch
Tally\InvalidArgumentException: sync option names must be strings, got the integer key 0
Tally\InvalidArgumentException: option 'batch_size' must be between 1 and 1000000, 0 given
Tally\InvalidArgumentException: option 'batch_size' must be of type int, string given
Tally\InvalidArgumentException: option 'batch_size' must be between 1 and 1000000, 2000000 given
Tally\InvalidArgumentException: option 'dry_run' must be of type bool, string given
Tally\InvalidArgumentException: option 'dry_run' must be of type bool, int given
Tally\InvalidArgumentException: option 'lock_ttl' must be at least 1 second, 0.5 given
Tally\InvalidArgumentException: option 'lock_ttl' must be a number of seconds above 0 and at most 86400, 0 given
Tally\InvalidArgumentException: option 'time_budget' must be a number of seconds above 0 and at most 86400, -1 given
Tally\InvalidArgumentException: option 'time_budget' must be of type float, string given
Tally\InvalidArgumentException: option 'progress' must be a callable: function "not callable" not found or invalid function name
Tally\InvalidArgumentException: option 'progress' must be a callable: class stdClass does not have a method "nope"
Tally\InvalidArgumentException: option 'pattern' must be of type string, array given
array(1) {
  [0]=>
  string(32) "tt:307-sync-options-errors:{T:1}"
}
int(3)
-- Database options
Tally\InvalidArgumentException: option 'driver' is required: 'mysql', 'mariadb' or 'sqlite'
Tally\InvalidArgumentException: option 'driver' must be 'mysql', 'mariadb' or 'sqlite', 'oracle' given
Tally\InvalidArgumentException: option 'driver' must be 'mysql', 'mariadb' or 'sqlite', 'pgsql' given
Tally\InvalidArgumentException: option 'driver' must be of type string, int given
Tally\InvalidArgumentException: unknown option 'nope'; valid options are: driver, host, port, socket, username, password, database, path, table, connect_timeout, read_timeout, busy_timeout, tls, tls_ca_file, tls_cert_file, tls_key_file, tls_verify, persistent
Tally\InvalidArgumentException: option names must be strings, got the integer key 0; valid options are: driver, host, port, socket, username, password, database, path, table, connect_timeout, read_timeout, busy_timeout, tls, tls_ca_file, tls_cert_file, tls_key_file, tls_verify, persistent
Tally\InvalidArgumentException: option 'port' must be of type int, string given
Tally\InvalidArgumentException: option 'port' must be between 1 and 65535, 0 given
Tally\InvalidArgumentException: option 'port' must be between 1 and 65535, 65536 given
Tally\InvalidArgumentException: option 'connect_timeout' must be a number of seconds above 0 and at most 3600, 0 given
Tally\InvalidArgumentException: option 'busy_timeout' must be a number of seconds above 0 and at most 3600, -1 given
Tally\InvalidArgumentException: table name 'bad-name' may only hold letters, digits and underscores
Tally\InvalidArgumentException: table name 'bad-name' may only hold letters, digits and underscores
Tally\InvalidArgumentException: table name must be 1 to 56 bytes long
Tally\InvalidArgumentException: table name must be 1 to 56 bytes long
Tally\InvalidArgumentException: option 'table' must not contain NUL bytes
Tally\InvalidArgumentException: SQLite needs a database file path
Tally\InvalidArgumentException: SQLite ':memory:' is private to one connection: use a file, or a PHP sink on your own connection
Tally\DatabaseException: cannot open SQLite database %s/tally-307-missing-%d/db.sqlite: unable to open database file
Tally\InvalidArgumentException: MySQL needs a database name
Tally\DatabaseException: cannot connect to MySQL at %s: Access denied for user %s (using password: YES)
Tally\DatabaseException: cannot connect to MySQL at %s: %s
returned: 56
returned: 'mysql'
-- schema
mysql: 2 [t] [t_sync]
mariadb: 2 [t] [t_sync]
sqlite: 2 [t] [t_sync]
pgsql: 2 [t] [t_sync]
bool(true)
bool(true)
Tally\InvalidArgumentException: driver must be 'mysql', 'mariadb', 'sqlite' or 'pgsql', 'oracle' given
Tally\InvalidArgumentException: table name 'bad-name' may only hold letters, digits and underscores
Tally\InvalidArgumentException: table name must be 1 to 56 bytes long
Tally\InvalidArgumentException: table name must not contain NUL bytes
