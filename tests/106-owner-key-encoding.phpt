--TEST--
Owner types and ids are %XX-escaped into one hash tag per owner, never colliding, while counter keys are stored and returned as raw bytes
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$owners = [
    ['a:b', 'c'],
    ['a', 'b:c'],
    ['a', 'b%3Ac'],
    ['App\Models\Doc{1}', '*?[]'],
    ['100%', "nul\0byte"],
    ["line\nbreak", "tab\tdel\x7F"],
    ['Ünïcødé ✓', 'with space'],
    ['Doc', '550e8400-e29b-41d4-a716-446655440000'],
    ['Doc', '01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    ['Doc', 5],
    ['Doc', '05'],
    ['Doc', -5],
];
foreach ($owners as [$type, $id]) {
    $c->forget($type, $id);
}
foreach ($owners as $i => [$type, $id]) {
    $c->increment($type, $id, 'n', $i + 1);
}
// The string '5' is the owner of the int 5; '05' is not.
var_dump($c->increment('Doc', '5', 'n', 100));
var_dump($c->pending('Doc', 5, 'n'), $c->pending('Doc', '05', 'n'), $c->pending('Doc', '-5', 'n'));
// Each owner has its own hash, named exactly <prefix>{enc(type):enc(id)}.
foreach (tally_raw_keys($prefix) as $key) {
    echo substr($key, strlen($prefix)), ' => ', tally_raw(['HGET', $key, 'n']), "\n";
}
foreach ($owners as $i => [$type, $id]) {
    if ($c->pending($type, $id, 'n') !== ($id === 5 ? 110 : $i + 1)) {
        echo "owner $i reads back a wrong value\n";
    }
}

// Counter keys are hash fields holding the raw bytes, and come back byte-identical.
$keys = ['plain', 'a:b', '{x}', 'back\slash', '50%', '%41', '*?[]', "nul\0mid", "\0", "new\nline", 'Ünïcødé ✓', 'with space', "\xFF\xFE"];
$amounts = [];
foreach ($keys as $i => $k) {
    $amounts[$k] = $i + 1;
}
$c->incrementMany('Doc', 'fields', $amounts);
$c->increment('Doc', 'fields', "nul\0mid", 100);
$all = $c->pendingAll('Doc', 'fields');
var_dump(array_keys($all) === $keys);
var_dump($c->pending('Doc', 'fields', "nul\0mid"), $c->pending('Doc', 'fields', 'nul'), $c->pending('Doc', 'fields', "\0"));
echo json_encode($all, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
$raw = tally_raw(['HGETALL', $prefix . '{Doc:fields}']);
$fields = [];
for ($i = 0; $i < count($raw); $i += 2) {
    $fields[] = $raw[$i];
}
// ... except that a key starting with NUL is written "\0\0" + key (the field codec keeps
// "\0" + a period letter for period counters).
var_dump($fields === array_map(fn ($k) => $k[0] === "\0" ? "\0\0$k" : $k, $keys));
var_dump(array_keys($c->pendingMany('Doc', 'fields', array_reverse($keys))) === array_reverse($keys));

foreach ($owners as [$type, $id]) {
    $c->forget($type, $id);
}
$c->forget('Doc', 'fields');
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
int(110)
int(110)
int(11)
int(12)
{100%25:nul%00byte} => 5
{App%5CModels%5CDoc%7B1%7D:%2A%3F%5B%5D} => 4
{Doc:-5} => 12
{Doc:01ARZ3NDEKTSV4RRFFQ69G5FAV} => 9
{Doc:05} => 11
{Doc:550e8400-e29b-41d4-a716-446655440000} => 8
{Doc:5} => 110
{a%3Ab:c} => 1
{a:b%253Ac} => 3
{a:b%3Ac} => 2
{line%0Abreak:tab%09del%7F} => 6
{Ünïcødé ✓:with space} => 7
bool(true)
int(108)
int(0)
int(9)
{"plain":1,"a:b":2,"{x}":3,"back\\slash":4,"50%":5,"%41":6,"*?[]":7,"nul\u0000mid":108,"\u0000":9,"new\nline":10,"Ünïcødé ✓":11,"with space":12,"��":13}
bool(true)
bool(true)
array(0) {
}
