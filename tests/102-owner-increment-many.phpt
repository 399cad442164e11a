--TEST--
incrementMany() applies several deltas to one owner in one atomic script call and returns key => new pending value in the order given
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$c->forget('Post', 42);
$c->forget('Post', 43);
$c->forget('Post', 45);
var_dump($c->incrementMany('Post', 42, ['views' => 3, 'likes' => 1, 'shares' => -2]));
// Another order, existing and new keys mixed: the result follows the order asked.
var_dump($c->incrementMany('Post', 42, ['shares' => 5, 'comments' => 7, 'views' => 1]));
// Numeric-string keys become int array keys in PHP; they are still the counters '42' and '-5'.
var_dump($c->incrementMany('Post', '42', ['42' => 2, 'views' => 0, '-5' => 9]));
var_dump($c->pending('Post', 42, '42'), $c->pending('Post', 42, '-5'));
var_dump(tally_raw(['HGETALL', $prefix . '{Post:42}']));
// Values beyond 2^53 come back exact, up to the int64 limits.
var_dump($c->incrementMany('Post', 45, ['odd' => 2 ** 53 + 1, 'max' => PHP_INT_MAX, 'min' => PHP_INT_MIN]));
var_dump($c->incrementMany('Post', 45, ['odd' => 2, 'max' => -1, 'min' => 1]));
// An empty array returns [] and writes nothing.
var_dump($c->incrementMany('Post', 43, []));
var_dump(tally_raw(['EXISTS', $prefix . '{Post:43}']));
var_dump($c->incrementMany('Post', 42, []));
var_dump(tally_raw(['HLEN', $prefix . '{Post:42}']));

// One call is one EVALSHA on the owner's hash (the script does the HINCRBYs inside Redis).
function monitor_open()
{
    $s = fsockopen('127.0.0.1', (int) getenv('TALLY_TEST_REDIS_PORT'), $errno, $errstr, 2.0);
    stream_set_timeout($s, 5);
    fwrite($s, "*1\r\n\$7\r\nMONITOR\r\n");
    if (trim(fgets($s)) !== '+OK') throw new RuntimeException('MONITOR failed');
    return $s;
}
function monitor_until($s, string $marker): array
{
    $lines = [];
    while (($line = fgets($s)) !== false) {
        if (strpos($line, $marker) !== false) break;
        $lines[] = rtrim($line, "\r\n");
    }
    fclose($s);
    return $lines;
}
$c->incrementMany('Post', 44, ['warm' => 1]); // loads the script, so the next call is a single EVALSHA
$c->forget('Post', 44);
$m = monitor_open();
$result = $c->incrementMany('Post', 44, ['a' => 1, 'b' => 2, 'c' => 3]);
$marker = 'tally-102-marker-' . getmypid();
tally_raw(['ECHO', $marker]);
$calls = [];
foreach (monitor_until($m, $marker) as $line) {
    if (strpos($line, $prefix . '{Post:44}') === false) continue;
    preg_match('/^\+[0-9.]+ \[\d+ ([^\]]+)\] "([A-Za-z]+)"/', $line, $mm);
    // What the script does inside Redis is its own business; the client sends one command.
    if ($mm[1] !== 'lua') $calls[] = 'client ' . strtolower($mm[2]);
}
var_dump($result);
print_r($calls);

$c->forget('Post', 42);
$c->forget('Post', 43);
$c->forget('Post', 44);
$c->forget('Post', 45);
var_dump(tally_raw_keys($prefix));
?>
--EXPECT--
array(3) {
  ["views"]=>
  int(3)
  ["likes"]=>
  int(1)
  ["shares"]=>
  int(-2)
}
array(3) {
  ["shares"]=>
  int(3)
  ["comments"]=>
  int(7)
  ["views"]=>
  int(4)
}
array(3) {
  [42]=>
  int(2)
  ["views"]=>
  int(4)
  [-5]=>
  int(9)
}
int(2)
int(9)
array(12) {
  [0]=>
  string(5) "views"
  [1]=>
  string(1) "4"
  [2]=>
  string(5) "likes"
  [3]=>
  string(1) "1"
  [4]=>
  string(6) "shares"
  [5]=>
  string(1) "3"
  [6]=>
  string(8) "comments"
  [7]=>
  string(1) "7"
  [8]=>
  string(2) "42"
  [9]=>
  string(1) "2"
  [10]=>
  string(2) "-5"
  [11]=>
  string(1) "9"
}
array(3) {
  ["odd"]=>
  int(9007199254740993)
  ["max"]=>
  int(9223372036854775807)
  ["min"]=>
  int(-9223372036854775808)
}
array(3) {
  ["odd"]=>
  int(9007199254740995)
  ["max"]=>
  int(9223372036854775806)
  ["min"]=>
  int(-9223372036854775807)
}
array(0) {
}
int(0)
array(0) {
}
int(6)
array(3) {
  ["a"]=>
  int(1)
  ["b"]=>
  int(2)
  ["c"]=>
  int(3)
}
Array
(
    [0] => client evalsha
)
array(0) {
}
