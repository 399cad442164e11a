--TEST--
A period must start on or after 1970-01-01: the week of 1970-01-01 to 01-04 starts on 1969-12-29, so an increment, a read and a unique count in it throw Tally\InvalidArgumentException naming the date and the week's start, and write nothing; its day, month, quarter and year, and the next week (from Monday 1970-01-05), are counted
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$p = $c->getPrefix();
$c->forget('W70', 1);
foreach (tally_raw_keys($p) as $k) tally_raw(['DEL', $k]);
$cases = [
    fn () => $c->increment('W70', 1, 'v', 1, ['', 'day', 'week'], '1970-01-02'),
    fn () => $c->incrementMany('W70', 1, ['v' => 1, 'w' => 2], ['v' => ['week']], '1970-01-04'),
    fn () => $c->pending('W70', 1, 'v', 'week', new DateTimeImmutable('1970-01-01 12:00')),
    fn () => $c->addUnique('W70', 1, 'u', 'visitor', ['day', 'week'], '1970-01-03'),
    fn () => $c->uniques('W70', 1, 'u', 'week', '1970-01-01'),
    fn () => $c->uniquesBetween('W70', 1, 'u', 'week', '1970-01-01', '1970-01-12'),
];
foreach ($cases as $i => $f) {
    try {
        $f();
        echo "$i: no exception\n";
    } catch (Tally\InvalidArgumentException $e) {
        echo "$i: ", $e->getMessage(), "\n";
    }
}
echo 'written: ', json_encode(tally_raw_keys($p)), "\n";
echo $c->increment('W70', 1, 'v', 3, ['', 'day', 'month', 'quarter', 'year'], '1970-01-02'), "\n";
echo $c->increment('W70', 1, 'v', 4, ['week'], '1970-01-05'), "\n";
echo json_encode([$c->pending('W70', 1, 'v', 'day', '1970-01-02'), $c->pending('W70', 1, 'v', 'year', '1970-12-31'),
                  $c->pending('W70', 1, 'v', 'week', '1970-01-11')]), "\n";
var_dump($c->addUnique('W70', 1, 'u', 'visitor', ['day', 'month'], '1970-01-03'), $c->uniques('W70', 1, 'u', 'month', '1970-01-31'));
$c->forget('W70', 1);
foreach (tally_raw_keys($p) as $k) tally_raw(['DEL', $k]);
?>
--EXPECT--
0: at: the week of 1970-01-02 starts on 1969-12-29, and no period may start before 1970-01-01
1: at: the week of 1970-01-04 starts on 1969-12-29, and no period may start before 1970-01-01
2: at: the week of 1970-01-01 starts on 1969-12-29, and no period may start before 1970-01-01
3: at: the week of 1970-01-03 starts on 1969-12-29, and no period may start before 1970-01-01
4: at: the week of 1970-01-01 starts on 1969-12-29, and no period may start before 1970-01-01
5: from: the week of 1970-01-01 starts on 1969-12-29, and no period may start before 1970-01-01
written: []
3
4
[3,3,4]
bool(true)
int(1)
