--TEST--
An unreachable Redis raises ConnectionException within the configured timeouts, never hangs
--SKIPIF--
<?php $needs = []; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';

// Nothing listens: refused at once.
$port = tally_free_port();
$t = microtime(true);
tally_try(fn () => new Tally\Counter(['port' => $port, 'connect_timeout' => 2.0]));
var_dump(microtime(true) - $t < 1.0);

// A listener whose accept queue is full: the connect itself hangs until connect_timeout.
$server = stream_socket_server('tcp://127.0.0.1:0', $e1, $e2, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN,
    stream_context_create(['socket' => ['backlog' => 0]]));
$name = stream_socket_get_name($server, false);
$port = (int) substr($name, strrpos($name, ':') + 1);
$fillers = [];
for ($i = 0; $i < 4; $i++) {
    $fillers[] = @stream_socket_client("tcp://127.0.0.1:$port", $e1, $e2, 0.05, STREAM_CLIENT_CONNECT | STREAM_CLIENT_ASYNC_CONNECT);
}
$t = microtime(true);
tally_try(fn () => new Tally\Counter(['port' => $port, 'connect_timeout' => 0.3, 'persistent' => false]));
$elapsed = microtime(true) - $t;
var_dump($elapsed >= 0.25 && $elapsed < 1.5);

// A server that accepts (the kernel does, from the backlog) but never answers: the command
// fails after read_timeout.
$silent = stream_socket_server('tcp://127.0.0.1:0');
$name = stream_socket_get_name($silent, false);
$port = (int) substr($name, strrpos($name, ':') + 1);
$c = new Tally\Counter(['port' => $port, 'read_timeout' => 0.3, 'persistent' => false]);
$t = microtime(true);
tally_try(fn () => $c->increment('T', 1, 'k'));
$elapsed = microtime(true) - $t;
var_dump($elapsed >= 0.25 && $elapsed < 1.5);
?>
--EXPECTF--
Tally\ConnectionException: cannot connect to Redis at 127.0.0.1:%d: Connection refused
bool(true)
Tally\ConnectionException: cannot connect to Redis at 127.0.0.1:%d: %s
bool(true)
Tally\ConnectionException: Redis at 127.0.0.1:%d did not answer HINCRBY within 0.3 s (read_timeout)
bool(true)
