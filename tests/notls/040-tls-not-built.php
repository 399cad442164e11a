<?php
require __DIR__ . '/../inc/helpers.inc';
ob_start();
(new ReflectionExtension('tally'))->info();
preg_match('/^TLS support => (.*)$/m', ob_get_clean(), $m);
echo $m[1], "\n";
tally_try(fn () => new Tally\Counter(['tls' => true, 'port' => 1]));
tally_try(fn () => new Tally\Counter(['tls' => true, 'port' => 1, 'lazy' => true]));
ini_set('tally.tls', '1');
tally_try(fn () => new Tally\Counter(['port' => 1, 'lazy' => true]));
// Off, the TLS options are accepted and ignored (the same settings work on every build).
tally_try(fn () => (new Tally\Counter(['tls' => false, 'lazy' => true, 'tls_ca_file' => '/nonexistent', 'tls_verify' => false]))->getPrefix());
?>
