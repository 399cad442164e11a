--TEST--
Buffered increments are sent at request end (RSHUTDOWN): after a normal end, exit(), an uncaught exception and a fatal error, and from a shutdown function
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$opts = tally_opts();
$direct = new Tally\Counter($opts);
$direct->forget('job', 1);
$prelude = '$c = new Tally\Counter(["prefix" => $args[1], "buffer" => true] + tally_opts());
for ($i = 0; $i < 10; $i++) $c->increment("job", 1, $args[0], 2);
echo $c->pending("job", 1, $args[0]), "\n";
';
$ends = [
    'end' => '',
    'exit' => 'exit(3);',
    'exception' => 'throw new RuntimeException("boom");',
    'fatal' => 'trigger_error("fatal", E_USER_ERROR);',
    // A shutdown function runs before RSHUTDOWN: its increments are sent too.
    'shutdown' => 'register_shutdown_function(function () use ($c) { $c->increment("job", 1, "late", 5); });',
];
foreach ($ends as $name => $code) {
    $r = tally_child_php($prelude . $code, [], [$name, $opts['prefix']]);
    printf("%-9s exit=%d stdout=%s sent=%d\n", $name, $r['exit'], trim($r['stdout']), $direct->pending('job', 1, $name));
}
echo "late: ", $direct->pending('job', 1, 'late'), "\n";
$direct->forget('job', 1);
?>
--EXPECT--
end       exit=0 stdout=20 sent=20
exit      exit=3 stdout=20 sent=20
exception exit=255 stdout=20 sent=20
fatal     exit=255 stdout=20 sent=20
shutdown  exit=0 stdout=20 sent=20
late: 5
