--TEST--
Passwords never appear in exception trace arguments or in ini_get/ini_get_all: the Redis password comes from the option or from the environment variable tally.password_env names
--SKIPIF--
<?php $needs = ['redis-server']; require __DIR__ . '/inc/skipif.inc'; ?>
--INI--
zend.exception_ignore_args=0
tally.password_env=TALLY_420_PASSWORD
--ENV--
TALLY_420_PASSWORD=Env-Secret-420
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$r = tally_redis_start(['--requirepass', 'Env-Secret-420']);
$seen = '';
function show(Throwable $e): string
{
    $args = $e->getTrace()[0]['args'] ?? [];
    return get_class($e) . ' [' . implode(', ', array_map(fn ($a) => get_debug_type($a), $args)) . ']: ' . $e->getMessage() . "\n";
}
foreach ([
    fn () => new Tally\Counter(['port' => 0, 'password' => 'Opt-Secret-1']),
    fn () => new Tally\Database(['driver' => 'mysql', 'port' => 0, 'password' => 'Opt-Secret-2']),
] as $fn) {
    try {
        $fn();
    } catch (Tally\Exception $e) {
        echo show($e);
        $seen .= print_r($e->getTrace(), true) . $e->getTraceAsString() . (string) $e;
    }
}
// The environment variable's password authenticates; the ini holds only its name.
$c = new Tally\Counter(['port' => $r['port'], 'prefix' => 't420:']);
var_dump($c->increment('T', 1, 'k'));
var_dump(ini_get('tally.password'), ini_get('tally.password_env'));
$all = ini_get_all('tally');
var_dump($all['tally.password']['local_value'], $all['tally.password_env']['local_value']);
$seen .= print_r($all, true) . print_r(ini_get_all('tally', false), true);
ob_start(); phpinfo(INFO_MODULES); $seen .= ob_get_clean();
// An option wins over the environment; a named variable that is not set is an error.
tally_try(fn () => (new Tally\Counter(['port' => $r['port'], 'password' => 'Opt-Secret-3', 'persistent' => false]))->increment('T', 1, 'k'));
putenv('TALLY_420_PASSWORD');
tally_try(fn () => new Tally\Counter(['port' => $r['port']]));
foreach (['Opt-Secret-1', 'Opt-Secret-2', 'Opt-Secret-3', 'Env-Secret-420'] as $secret) {
    echo $secret, ' appears: ', var_export(str_contains($seen, $secret), true), "\n";
}
tally_redis_stop($r);
?>
--EXPECTF--
Tally\InvalidArgumentException [SensitiveParameterValue]: option 'port' must be between 1 and 65535, 0 given
Tally\InvalidArgumentException [SensitiveParameterValue]: option 'port' must be between 1 and 65535, 0 given
int(1)
string(0) ""
string(18) "TALLY_420_PASSWORD"
string(0) ""
string(18) "TALLY_420_PASSWORD"
Tally\AuthenticationException: Redis at 127.0.0.1:%d rejected the credentials for user 'default': WRONGPASS invalid username-password pair or user is disabled.
Tally\InvalidArgumentException: tally.password_env names the environment variable 'TALLY_420_PASSWORD', which is not set
Opt-Secret-1 appears: false
Opt-Secret-2 appears: false
Opt-Secret-3 appears: false
Env-Secret-420 appears: false
