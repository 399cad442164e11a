--TEST--
A build without TLS (hiredis 0.14) says so in phpinfo and refuses tls => true with an InvalidArgumentException naming what to install, also for lazy connections, a Redis Cluster and the tally.tls ini default
--SKIPIF--
<?php $needs = []; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/helpers.inc';
ob_start();
(new ReflectionExtension('tally'))->info();
preg_match('/^TLS support => (.*)$/m', ob_get_clean(), $m);
echo $m[1], "\n";
tally_try(fn () => new Tally\Counter(['tls' => true, 'port' => 1]));
tally_try(fn () => new Tally\Counter(['tls' => true, 'port' => 1, 'lazy' => true]));
// A cluster the same way: refused before any node is tried (these seeds listen nowhere).
tally_try(fn () => new Tally\Counter(['tls' => true, 'cluster' => ['127.0.0.1:1', '127.0.0.1:2']]));
tally_try(fn () => new Tally\Counter(['tls' => true, 'cluster' => '127.0.0.1:1', 'lazy' => true]));
ini_set('tally.tls', '1');
tally_try(fn () => new Tally\Counter(['port' => 1, 'lazy' => true]));
tally_try(fn () => new Tally\Counter(['cluster' => ['127.0.0.1:1'], 'lazy' => true]));
// Off, the TLS options are accepted and ignored (the same settings work on every build).
tally_try(fn () => (new Tally\Counter(['tls' => false, 'lazy' => true, 'tls_ca_file' => '/nonexistent', 'tls_verify' => false]))->getPrefix());
?>
--EXPECT--
disabled (built with hiredis 0.14, without hiredis_ssl: install hiredis >= 1.0 with hiredis_ssl (Debian: libhiredict-dev from bookworm-backports) and OpenSSL (libssl-dev), then rebuild tally)
Tally\InvalidArgumentException: option 'tls': the tally extension was built without TLS support (hiredis 0.14 has no hiredis_ssl): install hiredis >= 1.0 with hiredis_ssl (Debian: libhiredict-dev from bookworm-backports) and OpenSSL (libssl-dev), then rebuild tally
Tally\InvalidArgumentException: option 'tls': the tally extension was built without TLS support (hiredis 0.14 has no hiredis_ssl): install hiredis >= 1.0 with hiredis_ssl (Debian: libhiredict-dev from bookworm-backports) and OpenSSL (libssl-dev), then rebuild tally
Tally\InvalidArgumentException: option 'tls': the tally extension was built without TLS support (hiredis 0.14 has no hiredis_ssl): install hiredis >= 1.0 with hiredis_ssl (Debian: libhiredict-dev from bookworm-backports) and OpenSSL (libssl-dev), then rebuild tally
Tally\InvalidArgumentException: option 'tls': the tally extension was built without TLS support (hiredis 0.14 has no hiredis_ssl): install hiredis >= 1.0 with hiredis_ssl (Debian: libhiredict-dev from bookworm-backports) and OpenSSL (libssl-dev), then rebuild tally
Tally\InvalidArgumentException: option 'tls': the tally extension was built without TLS support (hiredis 0.14 has no hiredis_ssl): install hiredis >= 1.0 with hiredis_ssl (Debian: libhiredict-dev from bookworm-backports) and OpenSSL (libssl-dev), then rebuild tally
Tally\InvalidArgumentException: option 'tls': the tally extension was built without TLS support (hiredis 0.14 has no hiredis_ssl): install hiredis >= 1.0 with hiredis_ssl (Debian: libhiredict-dev from bookworm-backports) and OpenSSL (libssl-dev), then rebuild tally
returned: 'counter:'
