--TEST--
Tally\Database speaks TLS to MariaDB natively (tls, tls_ca_file, tls_cert_file + tls_key_file, tls_verify): a TLS-only user syncs and reads; an untrusted server, a missing CA file or a plain attempt is a DatabaseException, a lone certificate an InvalidArgumentException
--SKIPIF--
<?php $needs = ['redis', 'mysql']; require __DIR__ . '/inc/skipif.inc';
if (!getenv('TALLY_TEST_MYSQL_TLS_USER') || !getenv('TALLY_TEST_TLS_DIR')) die('skip TALLY_TEST_MYSQL_TLS_USER is not set: run scripts/test');
?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$dir = getenv('TALLY_TEST_TLS_DIR');
$port = (int) getenv('TALLY_TEST_MYSQL_PORT');
$base = ['driver' => 'mysql', 'host' => '127.0.0.1', 'port' => $port, 'username' => getenv('TALLY_TEST_MYSQL_TLS_USER'),
    'password' => getenv('TALLY_TEST_MYSQL_PASSWORD'), 'database' => getenv('TALLY_TEST_MYSQL_DATABASE'), 'table' => 'mc_049'];
$try = function (string $what, array $o) use ($port, $dir) {
    try {
        $db = new Tally\Database($o);
        echo "$what: connected\n";
        return $db;
    } catch (Tally\Exception $e) {
        echo "$what: ", get_class($e), ': ', str_replace([":$port", $dir], [':PORT', 'DIR'], $e->getMessage()), "\n";
        return null;
    }
};
$try('plain, the user requires TLS', $base);
$try('untrusted CA', $base + ['tls' => true, 'tls_ca_file' => "$dir/other-ca.crt"]);
$try('the system CAs', $base + ['tls' => true]);
$try('missing CA file', $base + ['tls' => true, 'tls_ca_file' => "$dir/missing.crt"]);
$try('certificate alone', $base + ['tls' => true, 'tls_cert_file' => "$dir/client.crt"]);
$try('tls_verify off', $base + ['tls' => true, 'tls_ca_file' => "$dir/other-ca.crt", 'tls_verify' => false]);
$try('localhost', ['host' => 'localhost'] + $base + ['tls' => true, 'tls_ca_file' => "$dir/ca.crt"]);
$try('client certificate', $base + ['tls' => true, 'tls_ca_file' => "$dir/ca.crt", 'tls_cert_file' => "$dir/client.crt", 'tls_key_file' => "$dir/client.key"]);
tally_try(fn () => new Tally\Database($base + ['tls' => 1]));
$db = $try('CA file', $base + ['tls' => true, 'tls_ca_file' => "$dir/ca.crt"]);
$db->createTables();
$c = new Tally\Counter(tally_opts());
$c->increment('U', 1, 'views', 7);
echo tally_report($c->sync($db)), "\n";
$c->increment('U', 1, 'views', 2);
var_dump($c->get($db, 'U', 1, 'views'));
$c->sync($db);
$c->forget('U', 1);
tally_db_drop('mysql', 'mc_049');
?>
--EXPECT--
plain, the user requires TLS: Tally\DatabaseException: cannot connect to MySQL at 127.0.0.1:PORT: Access denied for user 'tally_tls'@'localhost' (using password: YES)
untrusted CA: Tally\DatabaseException: cannot connect to MySQL at 127.0.0.1:PORT: TLS/SSL error: self-signed certificate in certificate chain
the system CAs: Tally\DatabaseException: cannot connect to MySQL at 127.0.0.1:PORT: TLS/SSL error: self-signed certificate in certificate chain
missing CA file: Tally\DatabaseException: cannot connect to MySQL at 127.0.0.1:PORT: TLS/SSL error: No such file or directory (2)
certificate alone: Tally\InvalidArgumentException: options 'tls_cert_file' and 'tls_key_file' go together: tls_cert_file given alone
tls_verify off: connected
localhost: connected
client certificate: connected
Tally\InvalidArgumentException: option 'tls' must be of type bool, int given
CA file: connected
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(9)
