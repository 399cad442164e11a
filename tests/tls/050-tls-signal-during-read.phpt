--TEST--
Over TLS a signal arriving while a command waits for its reply is not a timeout: the read goes on and the command returns its reply (as on plain TCP), sent once
--SKIPIF--
<?php $needs = ['tls', 'pcntl']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/helpers.inc';
// A fake TLS Redis: it answers the handshake's PING; for every other command it signals
// the client (SIGUSR1, while the client is blocked reading), waits, then answers.
$ctx = stream_context_create(['ssl' => ['local_cert' => tally_tls_file('server.crt'), 'local_pk' => tally_tls_file('server.key')]]);
$server = stream_socket_server('tls://127.0.0.1:0', $errno, $errstr, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
$name = stream_socket_get_name($server, false);
$port = (int) substr($name, strrpos($name, ':') + 1);
$parent = getmypid();
$log = tempnam(sys_get_temp_dir(), 'tally050');
$pid = pcntl_fork();
if ($pid === 0) {
    $s = stream_socket_accept($server, 5);
    if (!$s) exit(1);
    $n = 0;
    while (($line = fgets($s)) !== false) {
        $args = [];
        for ($i = 0, $argc = (int) substr($line, 1); $i < $argc; $i++) {
            $len = (int) substr(fgets($s), 1);
            $args[] = substr(fread($s, $len + 2), 0, $len);
        }
        file_put_contents($log, implode(' ', $args) . "\n", FILE_APPEND);
        if ($args[0] !== 'PING') {
            usleep(100000);
            exec("kill -USR1 $parent");
            usleep(200000);
        }
        $n += $args[0] === 'PING' ? 0 : 1;
        fwrite($s, match ($args[0]) { 'PING' => "+PONG\r\n", 'HMGET' => "*1\r\n\$2\r\n4$n\r\n", default => ":4$n\r\n" });
    }
    exit(0);
}
fclose($server);
$signals = 0;
pcntl_async_signals(true);
pcntl_signal(SIGUSR1, function () use (&$signals) { $signals++; });
$c = new Tally\Counter(['read_timeout' => 3.0 * tally_slow()] + tally_tls_opts(['port' => $port, 'persistent' => false]));
tally_try(fn () => $c->increment('T', 1, 'k'));
tally_try(fn () => $c->pending('T', 1, 'k'));       // a reply hiredis reads (not the fast path)
var_dump($signals);
$c = null;
pcntl_waitpid($pid, $status);
echo file_get_contents($log);
unlink($log);
?>
--EXPECT--
returned: 41
returned: 42
int(2)
PING
HINCRBY tt:050-tls-signal-during-read:{T:1} k 1
HMGET tt:050-tls-signal-during-read:{T:1} k
