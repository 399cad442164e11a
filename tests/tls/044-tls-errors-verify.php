<?php
require __DIR__ . '/../inc/helpers.inc';
$port = (int) getenv('TALLY_TEST_REDIS_TLS_PORT');
$try = function (array $o) use ($port) {
    $t = microtime(true);
    tally_try(fn () => (new Tally\Counter(tally_tls_opts($o + ['persistent' => false])))->increment('T', 1, 'k'));
    if (microtime(true) - $t > 1.0) echo "too slow\n";
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
