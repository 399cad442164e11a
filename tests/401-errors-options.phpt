--TEST--
The constructor rejects unknown options and options of the wrong type or range with a Tally\InvalidArgumentException naming the option
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$cases = [
    ['hots' => 'localhost'],
    [0 => 'localhost'],
    ['host' => 6379],
    ['port' => '6379'],
    ['database' => '1'],
    ['connect_timeout' => '1'],
    ['persistent' => 'yes'],
    ['prefix' => ['a']],
    ['max_key_length' => 10.0],
    ['port' => 0],
    ['port' => 70000],
    ['database' => -1],
    ['connect_timeout' => 0],
    ['connect_timeout' => -1],
    ['connect_timeout' => 99999],
    ['max_key_length' => 0],
    ['host' => ''],
];
foreach ($cases as $extra) {
    tally_try(function () use ($extra) {
        try {
            new Tally\Counter(tally_opts($extra));
        } catch (Tally\InvalidArgumentException $e) {
            // InvalidArgumentException extends Tally\Exception; its code is the same for every bad option.
            echo $e instanceof Tally\Exception ? '' : "not a Tally\\Exception\n";
            echo $e->getCode() === 1 ? '' : 'code ' . $e->getCode() . "\n";
            throw $e;
        }
    });
}
// The valid bounds are accepted.
$c = new Tally\Counter(tally_opts(['database' => 0, 'connect_timeout' => 3600, 'read_timeout' => 0.5, 'max_key_length' => 65536, 'persistent' => false]));
var_dump($c->getPrefix() === tally_opts()['prefix']);
?>
--EXPECT--
Tally\InvalidArgumentException: unknown option 'hots'; valid options are: host, port, socket, cluster, username, password, database, connect_timeout, read_timeout, prefix, persistent, lazy, max_key_length, buffer, buffer_limit, tls, tls_ca_file, tls_ca_path, tls_cert_file, tls_key_file, tls_server_name, tls_verify, wait_replicas, wait_timeout
Tally\InvalidArgumentException: option names must be strings, got the integer key 0; valid options are: host, port, socket, cluster, username, password, database, connect_timeout, read_timeout, prefix, persistent, lazy, max_key_length, buffer, buffer_limit, tls, tls_ca_file, tls_ca_path, tls_cert_file, tls_key_file, tls_server_name, tls_verify, wait_replicas, wait_timeout
Tally\InvalidArgumentException: option 'host' must be of type string, int given
Tally\InvalidArgumentException: option 'port' must be of type int, string given
Tally\InvalidArgumentException: option 'database' must be of type int, string given
Tally\InvalidArgumentException: option 'connect_timeout' must be of type float, string given
Tally\InvalidArgumentException: option 'persistent' must be of type bool, string given
Tally\InvalidArgumentException: option 'prefix' must be of type string, array given
Tally\InvalidArgumentException: option 'max_key_length' must be of type int, float given
Tally\InvalidArgumentException: option 'port' must be between 1 and 65535, 0 given
Tally\InvalidArgumentException: option 'port' must be between 1 and 65535, 70000 given
Tally\InvalidArgumentException: option 'database' must be between 0 and 2147483647, -1 given
Tally\InvalidArgumentException: option 'connect_timeout' must be a number of seconds above 0 and at most 3600, 0 given
Tally\InvalidArgumentException: option 'connect_timeout' must be a number of seconds above 0 and at most 3600, -1 given
Tally\InvalidArgumentException: option 'connect_timeout' must be a number of seconds above 0 and at most 3600, 99999 given
Tally\InvalidArgumentException: option 'max_key_length' must be between 1 and 65536, 0 given
Tally\InvalidArgumentException: option 'host' must not be empty (or give 'socket')
bool(true)
