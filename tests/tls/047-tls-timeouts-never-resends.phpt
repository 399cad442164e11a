--TEST--
Over TLS a reply that never comes is a ConnectionException within read_timeout, a lost reply is reported and its command never sent twice, and the next command reconnects (handshake within connect_timeout)
--SKIPIF--
<?php $needs = ['tls', 'pcntl']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/helpers.inc';
// A fake TLS Redis: it logs every command; on connection 0 it answers the handshake's PING
// and then nothing (the reply is late), on connection 1 it closes after the next command
// (the reply is lost), later ones it answers.
$ctx = stream_context_create(['ssl' => ['local_cert' => tally_tls_file('server.crt'), 'local_pk' => tally_tls_file('server.key')]]);
$server = stream_socket_server('tls://127.0.0.1:0', $errno, $errstr, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
$name = stream_socket_get_name($server, false);
$port = (int) substr($name, strrpos($name, ':') + 1);
$log = tempnam(sys_get_temp_dir(), 'tally047');
$pid = pcntl_fork();
if ($pid === 0) {
    for ($conn = 0; $conn < 3; $conn++) {
        $s = stream_socket_accept($server, 5);
        if (!$s) exit(1);
        while (($line = fgets($s)) !== false) {
            $args = [];
            for ($i = 0, $argc = (int) substr($line, 1); $i < $argc; $i++) {
                $len = (int) substr(fgets($s), 1);
                $args[] = substr(fread($s, $len + 2), 0, $len);
            }
            file_put_contents($log, "$conn: " . implode(' ', $args) . "\n", FILE_APPEND);
            if ($args[0] === 'PING') {
                fwrite($s, "+PONG\r\n");
            } elseif ($conn === 0) {
                sleep(2);                       // later than read_timeout
                break;
            } elseif ($conn === 1) {
                break;                          // the command may have run; its reply is lost
            } else {
                fwrite($s, ":42\r\n");
            }
        }
        fclose($s);
    }
    exit(0);
}
fclose($server);
$c = new Tally\Counter(['read_timeout' => 0.4, 'connect_timeout' => 2.0 * tally_slow()] + tally_tls_opts(['port' => $port, 'persistent' => false]));
$t = microtime(true);
ob_start();
tally_try(fn () => $c->increment('T', 1, 'k'));
$took = microtime(true) - $t;
tally_try(fn () => $c->increment('T', 1, 'k', 2));
tally_try(fn () => $c->increment('T', 1, 'k', 3));
echo str_replace(":$port", ':PORT', ob_get_clean());
var_dump($took >= 0.4 && $took < tally_slow());
$c = null;
pcntl_waitpid($pid, $status);
echo file_get_contents($log);
unlink($log);
?>
--EXPECT--
Tally\ConnectionException: Redis at 127.0.0.1:PORT did not answer HINCRBY within 0.4 s (read_timeout)
Tally\ConnectionException: Redis at 127.0.0.1:PORT closed the connection during HINCRBY
returned: 42
bool(true)
0: PING
0: HINCRBY tt:047-tls-timeouts-never-resends:{T:1} k 1
1: PING
1: HINCRBY tt:047-tls-timeouts-never-resends:{T:1} k 2
2: PING
2: HINCRBY tt:047-tls-timeouts-never-resends:{T:1} k 3
