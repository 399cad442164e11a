--TEST--
Without a date, an increment's periods are today's in PHP's default time zone at the call: a zone changed within the same second moves the day at once (Pacific/Kiritimati, UTC+14, and Pacific/Pago_Pago, UTC-11, are always on different dates), and reads without a date agree
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$c->forget('TZ', 1);
$days = [];
foreach (['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Pacific/Kiritimati'] as $i => $zone) {
    date_default_timezone_set($zone);
    $c->increment('TZ', 1, 'v', 1 + $i, ['day']);
    $c->increment('TZ', 1, 'v', 10, ['day']);
    $days[] = date('Y-m-d');
    echo $zone, ': ', $c->pending('TZ', 1, 'v', 'day'), "\n";
}
var_dump($days[0] !== $days[1], $days[0] === $days[2]);
echo json_encode([$c->pending('TZ', 1, 'v', 'day', $days[0]), $c->pending('TZ', 1, 'v', 'day', $days[1])]), "\n";
$c->forget('TZ', 1);
?>
--EXPECT--
Pacific/Kiritimati: 11
Pacific/Pago_Pago: 12
Pacific/Kiritimati: 24
bool(true)
bool(true)
[24,12]
