--TEST--
Replies of every size are read intact: each reply is built in one block that grows by chunks, so thousands of fields, a key of 60,000 bytes among small ones, an error and a nil come back exact
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts(['max_key_length' => 65536]));
$c->forget('Big', 1);
$c->forget('Big', 2);
// 3,000 fields of 40-byte keys: a pendingAll() reply of 6,000 strings (~190 KB).
$amounts = [];
for ($i = 0; $i < 3000; $i++) $amounts[sprintf('field-%034d', $i)] = $i - 1500;
foreach (array_chunk($amounts, 500, true) as $part) $c->incrementMany('Big', 1, $part);
$all = $c->pendingAll('Big', 1);
ksort($all);
ksort($amounts);
var_dump(count($all), $all === $amounts);
$many = $c->pendingMany('Big', 1, array_keys($amounts));
var_dump($many === $amounts);
// One string bigger than any chunk, between small ones.
$long = str_repeat('x', 60000);
$c->increment('Big', 2, 'a', 1);
// (Written raw: an owner counter's key is at most the SQL column's 100 bytes, but a read
// must still come back whole whatever Redis holds.)
tally_raw(['HINCRBY', $c->getPrefix() . '{Big:2}', $long, '7']);
$c->increment('Big', 2, 'z', 3);
$all = $c->pendingAll('Big', 2);
var_dump(count($all), $all[$long], $all['a'], $all['z'], strlen((string) array_search(7, $all, true)));
var_dump($c->pending('Big', 2, $long));
// An error reply and a nil still come back as such.
$c->incrementKey('big:plain', 5);
tally_raw(['HSET', $c->getPrefix() . 'big:hash', 'f', '1']);
tally_try(fn () => $c->getKey('big:hash'));
var_dump($c->getKey('big:missing'));
$c->deleteKeys(['big:plain', 'big:hash']);
var_dump($c->forget('Big', 1), $c->forget('Big', 2));
?>
--EXPECT--
int(3000)
bool(true)
bool(true)
int(3)
int(7)
int(1)
int(3)
int(60000)
int(7)
Tally\WrongTypeException: reading ephemeral key 'big:hash': WRONGTYPE Operation against a key holding the wrong kind of value
int(0)
int(3000)
int(3)
