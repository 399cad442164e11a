--TEST--
Database::schema() refuses a driver name with a NUL byte ("sqlite\0junk" is not 'sqlite') with Tally\InvalidArgumentException, as it does a table name
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
tally_try(fn () => Tally\Database::schema("sqlite\0junk"));
tally_try(fn () => Tally\Database::schema("mysql\0"));
tally_try(fn () => Tally\Database::schema('sqlite', "t\0x"));
tally_try(fn () => new Tally\Database(['driver' => "sqlite\0junk", 'path' => ':memory:']));
var_dump(count(Tally\Database::schema('sqlite')));
?>
--EXPECT--
Tally\InvalidArgumentException: driver must not contain NUL bytes
Tally\InvalidArgumentException: driver must not contain NUL bytes
Tally\InvalidArgumentException: table name must not contain NUL bytes
Tally\InvalidArgumentException: option 'driver' must not contain NUL bytes
int(2)
