--TEST--
Over TLS a forked child opens its own session and never touches (nor closes with a close-notify) the parent's; persistent connections are pooled by every TLS setting
--SKIPIF--
<?php $needs = ['tls', 'pcntl', 'redis-server']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/helpers.inc';
$r = tally_tls_redis_start();
$port = $r['port'];
$info = function (string $field) use ($port) {
    preg_match("/$field:(\d+)/", tally_tls_raw(['INFO'], false, $port), $m);
    return (int) $m[1];
};
$clients = fn () => $info('connected_clients') - 1;      // without our own raw connection
$opts = tally_tls_opts(['port' => $port, 'prefix' => 'p:']);

$a = new Tally\Counter($opts);
$a->increment('T', 1, 'parent');
$b = new Tally\Counter(['prefix' => 'other:'] + $opts);
$b->increment('T', 1, 'k');
echo "same settings: ", $clients(), "\n";
$copy = tempnam(sys_get_temp_dir(), 'tally048');
copy(tally_tls_file('ca.crt'), $copy);
foreach ([['tls_verify' => false], ['tls_server_name' => '127.0.0.1'], ['tls_ca_file' => $copy],
          ['tls_ca_file' => null, 'tls_ca_path' => getenv('TALLY_TEST_TLS_DIR'), 'tls_verify' => false],
          ['tls_cert_file' => tally_tls_file('client.crt'), 'tls_key_file' => tally_tls_file('client.key')]] as $i => $o) {
    (new Tally\Counter($o + $opts))->increment('T', 1, 'k');
    echo "other TLS settings ", $i + 1, ": ", $clients(), "\n";
}
unlink($copy);

// The fork: the child counts on its own session while the parent goes on with its own.
$before = $info('total_connections_received');
$pid = pcntl_fork();
if ($pid === 0) {
    $ok = 0;
    for ($i = 1; $i <= 200; $i++) $ok += $a->increment('T', 1, 'child') === $i ? 1 : 0;
    exit($ok === 200 ? 0 : 1);
}
for ($i = 0; $i < 200; $i++) $a->increment('T', 1, 'parent');
pcntl_waitpid($pid, $status);
var_dump(pcntl_wexitstatus($status));
// After the child's exit the parent's session is intact: no reconnect (one connection
// was the child's, one is this INFO's own).
var_dump($a->increment('T', 1, 'parent'), $info('total_connections_received') - $before);
var_dump($a->pendingAll('T', 1));
tally_redis_stop($r);
?>
--EXPECT--
same settings: 1
other TLS settings 1: 2
other TLS settings 2: 3
other TLS settings 3: 4
other TLS settings 4: 5
other TLS settings 5: 6
int(0)
int(202)
int(2)
array(3) {
  ["parent"]=>
  int(202)
  ["k"]=>
  int(5)
  ["child"]=>
  int(200)
}
