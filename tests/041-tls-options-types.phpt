--TEST--
The TLS options are type-checked like every other option on every build: bool for tls and tls_verify, ?string for the file and name options, listed among the valid options
--SKIPIF--
<?php $needs = []; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
foreach ([['tls' => 'yes'], ['tls_verify' => 1], ['tls_ca_file' => 5], ['tls_ca_path' => []], ['tls_cert_file' => true],
          ['tls_key_file' => 1.5], ['tls_server_name' => 7], ['tls_ca_file' => "a\0b"]] as $o) {
    tally_try(fn () => new Tally\Counter($o + ['lazy' => true]));
}
tally_try(fn () => new Tally\Counter(['tls_cafile' => 'x']));
?>
--EXPECT--
Tally\InvalidArgumentException: option 'tls' must be of type bool, string given
Tally\InvalidArgumentException: option 'tls_verify' must be of type bool, int given
Tally\InvalidArgumentException: option 'tls_ca_file' must be of type ?string, int given
Tally\InvalidArgumentException: option 'tls_ca_path' must be of type ?string, array given
Tally\InvalidArgumentException: option 'tls_cert_file' must be of type ?string, bool given
Tally\InvalidArgumentException: option 'tls_key_file' must be of type ?string, float given
Tally\InvalidArgumentException: option 'tls_server_name' must be of type ?string, int given
Tally\InvalidArgumentException: option 'tls_ca_file' must not contain NUL bytes
Tally\InvalidArgumentException: unknown option 'tls_cafile'; valid options are: host, port, socket, cluster, username, password, database, connect_timeout, read_timeout, prefix, persistent, lazy, max_key_length, buffer, buffer_limit, tls, tls_ca_file, tls_ca_path, tls_cert_file, tls_key_file, tls_server_name, tls_verify, wait_replicas, wait_timeout
