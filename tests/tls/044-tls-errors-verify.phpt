--TEST--
An untrusted server certificate and a host name mismatch are ConnectionExceptions naming host, port and cause; tls_server_name picks the name verified; tls_verify => false accepts both
--SKIPIF--
<?php $needs = ['tls']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/helpers.inc';
$port = (int) getenv('TALLY_TEST_REDIS_TLS_PORT');
$try = function (array $o) use ($port) {
    $t = microtime(true);
    tally_try(fn () => (new Tally\Counter(tally_tls_opts($o + ['persistent' => false])))->increment('T', 1, 'k'));
    if (microtime(true) - $t > tally_slow()) echo "too slow\n";
};
ob_start();
$try(['tls_ca_file' => tally_tls_file('other-ca.crt')]);             // signed by a CA we do not trust
$try(['tls_ca_file' => null]);                                        // the system store knows no test CA
$try(['tls_server_name' => 'redis.example.com']);                     // the certificate is for localhost / 127.0.0.1
$try(['host' => '127.0.0.1', 'tls_server_name' => 'localhost']);      // ... so this name verifies
$try(['tls_ca_file' => tally_tls_file('other-ca.crt'), 'tls_verify' => false]);
$try(['tls_server_name' => 'redis.example.com', 'tls_verify' => false]);
echo str_replace(":$port", ':PORT', ob_get_clean());
tally_tls_raw(['DEL', 'tt:044-tls-errors-verify:{T:1}']);
?>
--EXPECT--
Tally\ConnectionException: TLS handshake with Redis at 127.0.0.1:PORT failed: certificate verify failed: self-signed certificate in certificate chain (the server's certificate is not signed by a trusted CA: set tls_ca_file)
Tally\ConnectionException: TLS handshake with Redis at 127.0.0.1:PORT failed: certificate verify failed: self-signed certificate in certificate chain (the server's certificate is not signed by a trusted CA: set tls_ca_file)
Tally\ConnectionException: TLS handshake with Redis at 127.0.0.1:PORT failed: certificate verify failed: hostname mismatch (the certificate is not for 'redis.example.com'; set tls_server_name to the name it has)
returned: 1
returned: 2
returned: 3
