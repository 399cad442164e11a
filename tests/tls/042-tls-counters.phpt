--TEST--
Over TLS (CA file, host name verified) owner and ephemeral counters work, big replies and big pipelines included; phpinfo shows TLS support with its OpenSSL and the tally.tls* ini defaults
--SKIPIF--
<?php $needs = ['tls']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/helpers.inc';
ob_start();
(new ReflectionExtension('tally'))->info();
$info = ob_get_clean();
var_dump(preg_match('/^TLS support => enabled \(OpenSSL 3\.\d+\.\d+\)$/m', $info));
foreach (['tls', 'tls_ca_file', 'tls_ca_path', 'tls_cert_file', 'tls_key_file', 'tls_server_name', 'tls_verify'] as $k) {
    echo preg_match('/^tally\.' . $k . ' => .*$/m', $info, $m) ? $m[0] : "$k missing", "\n";
}
foreach (['127.0.0.1', 'localhost'] as $host) {
    $c = new Tally\Counter(tally_tls_opts(['host' => $host, 'persistent' => false]));
    $c->forget('T', 1);
    var_dump($c->increment('T', 1, 'views'), $c->increment('T', 1, 'views', 41), $c->decrement('T', 1, 'views', 2));
    var_dump($c->incrementMany('T', 1, ['a' => 1, 'b' => -2]));
    var_dump($c->pendingAll('T', 1));
    var_dump($c->incrementKey('hits', 3, 60), $c->getKey('hits'), $c->deleteKeys(['hits']));
    $c->forget('T', 1);
}
// More than one TLS record each way: 3000 fields written in one pipeline, read back in one reply.
$many = [];
for ($i = 0; $i < 3000; $i++) $many["field-$i-" . str_repeat('x', 20)] = $i;
$c->incrementMany('Big', 1, $many);
$all = $c->pendingAll('Big', 1);
ksort($all);
ksort($many);
var_dump(count($all), $all === $many);
var_dump(array_sum($c->incrementMany('Big', 1, $many)) === 2 * array_sum($many));
$c->forget('Big', 1);
// The same through the ini defaults alone.
ini_set('tally.tls', '1');
ini_set('tally.tls_ca_file', tally_tls_file('ca.crt'));
$d = new Tally\Counter(['port' => (int) getenv('TALLY_TEST_REDIS_TLS_PORT'), 'prefix' => 'tt:042ini:']);
var_dump($d->increment('T', 2, 'k', 5), tally_tls_raw(['HGET', 'tt:042ini:{T:2}', 'k']));
$d->forget('T', 2);
?>
--EXPECT--
int(1)
tally.tls => Off => Off
tally.tls_ca_file => no value => no value
tally.tls_ca_path => no value => no value
tally.tls_cert_file => no value => no value
tally.tls_key_file => no value => no value
tally.tls_server_name => no value => no value
tally.tls_verify => On => On
int(1)
int(42)
int(40)
array(2) {
  ["a"]=>
  int(1)
  ["b"]=>
  int(-2)
}
array(3) {
  ["views"]=>
  int(40)
  ["a"]=>
  int(1)
  ["b"]=>
  int(-2)
}
int(3)
int(3)
int(1)
int(1)
int(42)
int(40)
array(2) {
  ["a"]=>
  int(1)
  ["b"]=>
  int(-2)
}
array(3) {
  ["views"]=>
  int(40)
  ["a"]=>
  int(1)
  ["b"]=>
  int(-2)
}
int(3)
int(3)
int(1)
int(3000)
bool(true)
bool(true)
int(5)
string(1) "5"
