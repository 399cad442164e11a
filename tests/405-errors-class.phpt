--TEST--
Tally\Counter is final, cannot be cloned or serialized, and every Tally exception class descends from Tally\Exception and RuntimeException
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$r = new ReflectionClass(Tally\Counter::class);
var_dump($r->isFinal());
$c = new Tally\Counter(tally_opts());
tally_try(fn() => clone $c);
tally_try(fn() => serialize($c));
tally_try(fn() => unserialize('O:13:"Tally\Counter":0:{}'));
// The original still works after the failed clone and serialize.
var_dump($c->getPrefix() === tally_opts()['prefix']);
foreach ([
    'Tally\Exception',
    'Tally\InvalidArgumentException',
    'Tally\ConnectionException',
    'Tally\AuthenticationException',
    'Tally\ServerException',
    'Tally\WrongTypeException',
    'Tally\OverflowException',
    'Tally\DatabaseException',
] as $class) {
    $parents = array_values(class_parents($class));
    sort($parents);
    echo $class, (new ReflectionClass($class))->isFinal() ? ' (final)' : '', ': ', implode(', ', $parents), "\n";
}
?>
--EXPECT--
bool(true)
Error: Trying to clone an uncloneable object of class Tally\Counter
Exception: Serialization of 'Tally\Counter' is not allowed
Exception: Unserialization of 'Tally\Counter' is not allowed
bool(true)
Tally\Exception: Exception, RuntimeException
Tally\InvalidArgumentException: Exception, RuntimeException, Tally\Exception
Tally\ConnectionException: Exception, RuntimeException, Tally\Exception
Tally\AuthenticationException: Exception, RuntimeException, Tally\ConnectionException, Tally\Exception
Tally\ServerException: Exception, RuntimeException, Tally\Exception
Tally\WrongTypeException: Exception, RuntimeException, Tally\Exception, Tally\ServerException
Tally\OverflowException: Exception, RuntimeException, Tally\Exception, Tally\ServerException
Tally\DatabaseException: Exception, RuntimeException, Tally\Exception
