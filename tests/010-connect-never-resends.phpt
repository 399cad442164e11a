--TEST--
A command whose reply is lost is reported, never sent twice, and the next command reconnects
--SKIPIF--
<?php $needs = ['pcntl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
// A fake server: it records every command it receives, answers the first connection's
// command with nothing (it closes the socket), and answers later ones properly.
$server = stream_socket_server('tcp://127.0.0.1:0');
$name = stream_socket_get_name($server, false);
$port = (int) substr($name, strrpos($name, ':') + 1);
$log = tempnam(sys_get_temp_dir(), 'tally010');
$pid = pcntl_fork();
if ($pid === 0) {
    for ($conn = 0; $conn < 2; $conn++) {
        $s = stream_socket_accept($server, 5);
        if (!$s) exit(1);
        while (($line = fgets($s)) !== false) {
            $argc = (int) substr($line, 1);
            $args = [];
            for ($i = 0; $i < $argc; $i++) {
                $len = (int) substr(fgets($s), 1);
                $args[] = substr(fread($s, $len + 2), 0, $len);
            }
            file_put_contents($log, implode(' ', $args) . "\n", FILE_APPEND);
            if ($conn === 0) break;          // the command may have run; its reply is lost
            fwrite($s, ":42\r\n");
        }
        fclose($s);
    }
    exit(0);
}
fclose($server);
$c = new Tally\Counter(['port' => $port, 'persistent' => false, 'read_timeout' => 2.0]);
tally_try(fn () => $c->increment('T', 1, 'k'));
tally_try(fn () => $c->increment('T', 1, 'k', 2));
$c = null;
pcntl_waitpid($pid, $status);
echo file_get_contents($log);
unlink($log);
?>
--EXPECTF--
Tally\ConnectionException: Redis at 127.0.0.1:%d closed the connection during HINCRBY
returned: 42
HINCRBY counter:{T:1} k 1
HINCRBY counter:{T:1} k 2
