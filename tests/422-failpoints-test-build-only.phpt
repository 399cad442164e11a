--TEST--
A test build (configure --enable-tally-failpoints) says so in phpinfo and TALLY_FAILPOINTS='*=kill' kills its sync at the first failpoint; a release build (scripts/pecl-check) says "failpoints => no" and ignores the variable
--SKIPIF--
<?php $needs = ['redis', 'failpoints']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
ob_start();
(new ReflectionExtension('tally'))->info();
preg_match('/^failpoints => .*$/m', ob_get_clean(), $m);
echo $m[0], "\n";
$path = sys_get_temp_dir() . '/tally-422-' . getmypid() . '.sqlite';
$code = '$c = new Tally\Counter(tally_opts(["prefix" => $args[1]]));
$db = new Tally\Database(["driver" => "sqlite", "path" => $args[0]]);
$db->createTables();
$c->increment("post", 1, "views", 3);
echo "increment done\n";
$r = $c->sync($db);
echo "synced ", $r["synced"], "\n";';
// A prefix each: the killed run's lock stays until its TTL.
foreach (['*=kill' => 't422a:', '' => 't422b:'] as $spec => $prefix) {
    $r = tally_child_php($code, ['TALLY_FAILPOINTS' => $spec], [$path, $prefix]);
    echo "TALLY_FAILPOINTS='$spec': signal ", $r['signal'], ', ', trim($r['stdout']), "\n";
}
@unlink($path);
tally_raw(array_merge(['DEL'], tally_raw_keys('t422a:'), tally_raw_keys('t422b:'), ['t422:none']));
?>
--EXPECT--
failpoints => compiled in (a test build: TALLY_FAILPOINTS can kill this process)
TALLY_FAILPOINTS='*=kill': signal 9, increment done
TALLY_FAILPOINTS='': signal 0, increment done
synced 1
