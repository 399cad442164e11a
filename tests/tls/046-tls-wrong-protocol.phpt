--TEST--
Plain TCP against a TLS port and TLS against a plain port are ConnectionExceptions naming host, port and cause, within the timeouts, never a hang
--SKIPIF--
<?php $needs = ['tls', 'pcntl']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/helpers.inc';
$tlsPort = (int) getenv('TALLY_TEST_REDIS_TLS_PORT');
$plainPort = (int) getenv('TALLY_TEST_REDIS_PORT');
$timed = function (string $what, array $o, float $limit) {
    $t = microtime(true);
    try {
        (new Tally\Counter(['persistent' => false, 'connect_timeout' => 0.5, 'read_timeout' => 0.5] + $o))->increment('T', 1, 'k');
        $msg = 'no exception';
    } catch (Tally\ConnectionException $e) {
        $msg = get_class($e) . ': ' . $e->getMessage();
    }
    $took = microtime(true) - $t;
    echo "$what: ", preg_replace('/127\.0\.0\.1:\d+/', 'HOST:PORT', $msg), $took < $limit * tally_slow() ? '' : " (took $took s)", "\n";
};
// Plain against the TLS port: it resets the connection at our first bytes.
$timed('plain -> TLS', tally_opts(['port' => $tlsPort]), 0.5);
$timed('plain -> TLS, with AUTH', tally_opts(['port' => $tlsPort, 'password' => 'x']), 0.5);
// TLS against a plain Redis: it either waits for the end of an inline command (no newline
// in our ClientHello: the handshake times out) or answers an error line (not TLS).
$t = microtime(true);
try {
    (new Tally\Counter(['connect_timeout' => 0.5] + tally_tls_opts(['port' => $plainPort, 'persistent' => false])))->increment('T', 1, 'k');
} catch (Tally\ConnectionException $e) {
    $m = $e->getMessage();
    var_dump(str_starts_with($m, "TLS handshake with Redis at 127.0.0.1:$plainPort "),
             str_ends_with($m, 'did not complete within 0.5 s (connect_timeout): is it a TLS port?')
             || str_contains($m, 'the server does not speak TLS on this port (a plain TCP port? then leave \'tls\' off)'),
             microtime(true) - $t < tally_slow());
}
// The two cases on their own, with fake plain servers: one silent, one answering at once.
foreach (['silent' => '', 'answering' => "-ERR unknown command\r\n"] as $kind => $answer) {
    $server = stream_socket_server('tcp://127.0.0.1:0');
    $name = stream_socket_get_name($server, false);
    $port = (int) substr($name, strrpos($name, ':') + 1);
    $pid = pcntl_fork();
    if ($pid === 0) {
        $s = stream_socket_accept($server, 5);
        if ($answer !== '') fwrite($s, $answer);
        sleep(2);
        exit(0);
    }
    fclose($server);
    $timed("TLS -> $kind plain server", tally_tls_opts(['port' => $port]), 1.0);
    posix_kill($pid, SIGKILL);
    pcntl_waitpid($pid, $status);
}
?>
--EXTENSIONS--
posix
--EXPECT--
plain -> TLS: Tally\ConnectionException: connection to Redis at HOST:PORT failed during HINCRBY: Connection reset by peer before answering anything (if that port expects TLS, set 'tls' => true)
plain -> TLS, with AUTH: Tally\ConnectionException: connection to Redis at HOST:PORT failed during AUTH: Connection reset by peer before answering anything (if that port expects TLS, set 'tls' => true)
bool(true)
bool(true)
bool(true)
TLS -> silent plain server: Tally\ConnectionException: TLS handshake with Redis at HOST:PORT did not complete within 0.5 s (connect_timeout): is it a TLS port?
TLS -> answering plain server: Tally\ConnectionException: TLS handshake with Redis at HOST:PORT failed: wrong version number: the server does not speak TLS on this port (a plain TCP port? then leave 'tls' off)
