--TEST--
Reads accept exactly the integers Redis's HINCRBY/INCRBY accept: '05', '-0', '+5', ' 5' and '00' are not integers to Redis, so reading them throws the same WrongTypeException as 'abc'
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$p = $c->getPrefix();
$c->forget('T', 427);
foreach (['abc', '05', '-0', '+5', ' 5', '00', '0', '-5', '9223372036854775807', '-9223372036854775808'] as $v) {
    tally_raw(['HSET', $p . '{T:427}', 'k', $v]);
    tally_raw(['SET', $p . 'e427', $v]);
    echo json_encode($v), ":\n";
    tally_try(fn () => $c->increment('T', 427, 'k', 0));
    tally_try(fn () => $c->pending('T', 427, 'k'));
    tally_try(fn () => $c->getKey('e427'));
}
$c->forget('T', 427);
$c->deleteKeys(['e427']);
?>
--EXPECT--
"abc":
Tally\WrongTypeException: incrementing counter 'k' of T #427: ERR hash value is not an integer
Tally\WrongTypeException: reading counter 'k' of T #427: the stored value 'abc' is not an integer
Tally\WrongTypeException: reading ephemeral key 'e427': the stored value 'abc' is not an integer
"05":
Tally\WrongTypeException: incrementing counter 'k' of T #427: ERR hash value is not an integer
Tally\WrongTypeException: reading counter 'k' of T #427: the stored value '05' is not an integer
Tally\WrongTypeException: reading ephemeral key 'e427': the stored value '05' is not an integer
"-0":
Tally\WrongTypeException: incrementing counter 'k' of T #427: ERR hash value is not an integer
Tally\WrongTypeException: reading counter 'k' of T #427: the stored value '-0' is not an integer
Tally\WrongTypeException: reading ephemeral key 'e427': the stored value '-0' is not an integer
"+5":
Tally\WrongTypeException: incrementing counter 'k' of T #427: ERR hash value is not an integer
Tally\WrongTypeException: reading counter 'k' of T #427: the stored value '+5' is not an integer
Tally\WrongTypeException: reading ephemeral key 'e427': the stored value '+5' is not an integer
" 5":
Tally\WrongTypeException: incrementing counter 'k' of T #427: ERR hash value is not an integer
Tally\WrongTypeException: reading counter 'k' of T #427: the stored value ' 5' is not an integer
Tally\WrongTypeException: reading ephemeral key 'e427': the stored value ' 5' is not an integer
"00":
Tally\WrongTypeException: incrementing counter 'k' of T #427: ERR hash value is not an integer
Tally\WrongTypeException: reading counter 'k' of T #427: the stored value '00' is not an integer
Tally\WrongTypeException: reading ephemeral key 'e427': the stored value '00' is not an integer
"0":
returned: 0
returned: 0
returned: 0
"-5":
returned: -5
returned: -5
returned: -5
"9223372036854775807":
returned: 9223372036854775807
returned: 9223372036854775807
returned: 9223372036854775807
"-9223372036854775808":
returned: -9223372036854775807-1
returned: -9223372036854775807-1
returned: -9223372036854775807-1
