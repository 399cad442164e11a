--TEST--
Password and ACL user authentication work; a wrong or missing password raises AuthenticationException without revealing it
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$r = tally_redis_start(['--requirepass', 'Default-Secret-1']);
tally_raw(['ACL', 'SETUSER', 'app', 'on', '>App-Secret-2', '~*', '+@all'], $r['port'], [['AUTH', 'Default-Secret-1']]);
$base = ['port' => $r['port'], 'prefix' => 'a:'];

$a = new Tally\Counter($base + ['password' => 'Default-Secret-1']);
var_dump($a->increment('T', 1, 'k'));
$b = new Tally\Counter($base + ['username' => 'app', 'password' => 'App-Secret-2']);
var_dump($b->increment('T', 1, 'k'));

$messages = [];
foreach ([
    $base + ['password' => 'Wrong-Secret-3'],
    $base + ['username' => 'app', 'password' => 'Wrong-Secret-4'],
    $base + ['username' => 'nobody', 'password' => 'App-Secret-2'],
] as $opts) {
    try {
        new Tally\Counter($opts);
        echo "connected?!\n";
    } catch (Tally\AuthenticationException $e) {
        echo get_class($e), ' (a ', get_parent_class($e), '): ', $e->getMessage(), "\n";
        $messages[] = $e->getMessage() . $e->getTraceAsString() . (string) $e;
    }
}
// No password at all: the server's NOAUTH on first use is an authentication failure too.
$none = new Tally\Counter($base + ['persistent' => false]);
tally_try(fn () => $none->increment('T', 1, 'k'));

$dump = print_r($a, true) . var_export($a, true);
ob_start(); var_dump($a, $b); $dump .= ob_get_clean();
$all = implode("\n", $messages) . $dump;
foreach (['Default-Secret-1', 'App-Secret-2', 'Wrong-Secret-3', 'Wrong-Secret-4'] as $secret) {
    echo $secret, ' appears: ', var_export(str_contains($all, $secret), true), "\n";
}
tally_redis_stop($r);
?>
--EXPECTF--
int(1)
int(2)
Tally\AuthenticationException (a Tally\ConnectionException): Redis at 127.0.0.1:%d rejected the credentials for user 'default': WRONGPASS invalid username-password pair or user is disabled.
Tally\AuthenticationException (a Tally\ConnectionException): Redis at 127.0.0.1:%d rejected the credentials for user 'app': WRONGPASS invalid username-password pair or user is disabled.
Tally\AuthenticationException (a Tally\ConnectionException): Redis at 127.0.0.1:%d rejected the credentials for user 'nobody': WRONGPASS invalid username-password pair or user is disabled.
Tally\AuthenticationException: incrementing counter 'k' of T #1: NOAUTH Authentication required.
Default-Secret-1 appears: false
App-Secret-2 appears: false
Wrong-Secret-3 appears: false
Wrong-Secret-4 appears: false
