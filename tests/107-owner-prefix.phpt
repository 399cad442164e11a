--TEST--
The 'prefix' option, glob characters included, starts every hash key name, is returned by getPrefix(), and separates counters of different prefixes
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$base = tally_opts()['prefix'];
$a = new Tally\Counter(tally_opts(['prefix' => $base . 'app*[1]:']));
$b = new Tally\Counter(tally_opts(['prefix' => $base . 'app?:']));
$d = new Tally\Counter(tally_opts());
var_dump($a->getPrefix() === $base . 'app*[1]:', $b->getPrefix() === $base . 'app?:', $d->getPrefix() === $base);
// Without the option the prefix is the tally.prefix ini setting.
$ini = new Tally\Counter(['host' => tally_opts()['host'], 'port' => tally_opts()['port']]);
var_dump($ini->getPrefix(), ini_get('tally.prefix'));

foreach ([$a, $b, $d] as $c) {
    $c->forget('Shop', 1);
}
var_dump($a->increment('Shop', 1, 'sales', 3));
var_dump($b->increment('Shop', 1, 'sales', 5));
var_dump($d->increment('Shop', 1, 'sales', 7));
// The hash names, exactly.
foreach (tally_raw_keys($base) as $key) {
    echo substr($key, strlen($base)), ' => ', tally_raw(['HGET', $key, 'sales']), "\n";
}
// Each Counter sees only its own prefix.
var_dump($a->pendingAll('Shop', 1), $b->pendingAll('Shop', 1), $d->pendingAll('Shop', 1));
var_dump($a->forget('Shop', 1));
var_dump($b->pending('Shop', 1, 'sales'), $d->pending('Shop', 1, 'sales'));
// An empty prefix is refused: it would reach every key of the database (see 424).
tally_try(fn () => new Tally\Counter(tally_opts(['prefix' => ''])));

$b->forget('Shop', 1);
$d->forget('Shop', 1);
var_dump(tally_raw_keys($base));
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
string(8) "counter:"
string(8) "counter:"
int(3)
int(5)
int(7)
app*[1]:{Shop:1} => 3
app?:{Shop:1} => 5
{Shop:1} => 7
array(1) {
  ["sales"]=>
  int(3)
}
array(1) {
  ["sales"]=>
  int(5)
}
array(1) {
  ["sales"]=>
  int(7)
}
int(1)
int(5)
int(7)
Tally\InvalidArgumentException: option 'prefix' must not be empty: the prefix keeps Tally's keys apart from every other key in the database
array(0) {
}
