--TEST--
A server requiring client certificates: without one a ConnectionException says so (host, port, cause); tls_cert_file + tls_key_file connect; bad certificate options are InvalidArgumentExceptions naming option and file
--SKIPIF--
<?php $needs = ['tls']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/helpers.inc';
$port = (int) getenv('TALLY_TEST_REDIS_TLS_AUTH_PORT');
$dir = getenv('TALLY_TEST_TLS_DIR');
$try = fn (array $o) => tally_try(fn () => (new Tally\Counter(tally_tls_opts($o + ['persistent' => false], true)))->increment('T', 1, 'k'));
ob_start();
$try([]);
$try(['tls_cert_file' => tally_tls_file('client.crt'), 'tls_key_file' => tally_tls_file('client.key')]);
$try(['tls_cert_file' => tally_tls_file('client.crt'), 'tls_key_file' => tally_tls_file('client.key'), 'lazy' => true]);
$try(['tls_cert_file' => tally_tls_file('client.crt')]);
$try(['tls_key_file' => tally_tls_file('client.key'), 'lazy' => true]);
$try(['tls_cert_file' => tally_tls_file('client.crt'), 'tls_key_file' => tally_tls_file('server.key')]);
$try(['tls_cert_file' => "$dir/missing.crt", 'tls_key_file' => tally_tls_file('client.key')]);
$try(['tls_ca_file' => "$dir/missing-ca.crt", 'lazy' => true]);
$try(['tls_ca_file' => null, 'tls_ca_path' => "$dir/no-such-dir"]);
$try(['socket' => '/tmp/redis.sock']);
echo str_replace([":$port", $dir], [':PORT', 'DIR'], ob_get_clean());
tally_tls_raw(['DEL', 'tt:045-tls-client-certificates:{T:1}'], true);
?>
--EXPECT--
Tally\ConnectionException: TLS connection to Redis at 127.0.0.1:PORT failed during PING: the server requires a client certificate (set tls_cert_file and tls_key_file)
returned: 1
returned: 2
Tally\InvalidArgumentException: options 'tls_cert_file' and 'tls_key_file' go together: tls_cert_file given alone
Tally\InvalidArgumentException: options 'tls_cert_file' and 'tls_key_file' go together: tls_key_file given alone
Tally\InvalidArgumentException: option 'tls_key_file': cannot use 'DIR/server.key': key values mismatch
Tally\InvalidArgumentException: option 'tls_cert_file': cannot use 'DIR/missing.crt': No such file or directory
Tally\InvalidArgumentException: option 'tls_ca_file': cannot use 'DIR/missing-ca.crt': No such file or directory
Tally\InvalidArgumentException: option 'tls_ca_path': cannot use 'DIR/no-such-dir': No such file or directory
Tally\InvalidArgumentException: option 'tls' cannot be used with 'socket': Redis speaks TLS on TCP ports only
