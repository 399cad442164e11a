--TEST--
A Tally\NarrowingSink whose tryBatch() throws anything but Tally\RejectedException while a batch is narrowed stops the run with that error (a Throwable wrapped in Tally\DatabaseException, a Tally\DatabaseException as it is), nothing written, set aside or lost; the next run narrows the batch to the rejected counter
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';

/** A database in PHP arrays that refuses the key 'poison' in writeBatch(); tryBatch() as $try says. */
final class OddSink implements Tally\NarrowingSink
{
    public array $rows = [];
    public static int $fence = 0;   // the database's fence: it outlives each sink object
    public array $calls = [];

    public function __construct(public Closure $try)
    {
    }

    public function beginRun(string $name): int
    {
        return ++self::$fence;
    }

    public function writeBatch(string $name, int $fence, array $rows): void
    {
        $this->calls[] = 'write ' . count($rows);
        foreach ($rows as [$type, $id, $key]) {
            if ($key === 'poison') {
                throw new Tally\RejectedException("value of $key out of range");
            }
        }
        foreach ($rows as [$type, $id, $key, $delta, $seq]) {
            $this->rows["$type|$id|$key"] = ($this->rows["$type|$id|$key"] ?? 0) + $delta;
        }
    }

    public function tryBatch(string $name, int $fence, array $rows): void
    {
        $this->calls[] = 'try ' . count($rows);
        ($this->try)($rows);
    }

    public function read(string $ownerType, string $ownerId, ?array $keys, string $period = '', string $from = '1970-01-01', string $to = '1970-01-01'): array
    {
        return [];
    }

    public function committed(string $ownerType, string $ownerId, int $seq): bool
    {
        return false;
    }
}

$c = new Tally\Counter(tally_opts());
$prefix = $c->getPrefix();
$keys = fn () => implode(' ', array_map(fn ($k) => substr($k, strlen($prefix)), tally_raw_keys($prefix)));
$c->increment('T', 1, 'a', 1);
$c->increment('T', 2, 'poison', 2);
$c->increment('T', 3, 'b', 3);

echo "-- tryBatch() fails otherwise\n";
$sink = new OddSink(fn () => throw new RuntimeException('connection lost'));
tally_try(fn () => $c->sync($sink));
echo implode(', ', $sink->calls), "\n";
echo "sql: ", json_encode($sink->rows), " failed: ", count($c->failed()), " keys: ", $keys(), "\n";

echo "-- tryBatch() throws a Tally\\DatabaseException that is no rejection\n";
$sink = new OddSink(fn () => throw new Tally\DatabaseException('fence moved'));
tally_try(fn () => $c->sync($sink));
echo implode(', ', $sink->calls), "\n";
echo "sql: ", json_encode($sink->rows), " failed: ", count($c->failed()), " keys: ", $keys(), "\n";

echo "-- a sink whose tries reject what its writes reject\n";
$sink = new OddSink(function (array $rows): void {
    foreach ($rows as [, , $key]) {
        if ($key === 'poison') {
            throw new Tally\RejectedException("value of $key out of range");
        }
    }
});
echo tally_report($c->sync($sink)), "\n";
echo implode(', ', $sink->calls), "\n";
echo "sql: ", json_encode($sink->rows), " failed: ", json_encode($c->failed()), " keys: ", $keys(), "\n";
foreach (tally_raw_keys($prefix) as $k) {
    tally_raw(['DEL', $k]);
}
?>
--EXPECT--
-- tryBatch() fails otherwise
Tally\DatabaseException: OddSink::tryBatch() threw RuntimeException: connection lost
write 3, try 1
sql: [] failed: 0 keys: {T:1}:c {T:2}:c {T:3}:c {}:sync:fence
-- tryBatch() throws a Tally\DatabaseException that is no rejection
Tally\DatabaseException: fence moved
write 3, try 1
sql: [] failed: 0 keys: {T:1}:c {T:2}:c {T:3}:c {}:sync:fence
-- a sink whose tries reject what its writes reject
synced=2 set_aside=1 owners=3 batches=1 skipped=0 recovered=3 locked=false incomplete=false errors=[counter 'poison' of T #2 (delta 2) set aside, kept in Redis until retried: value of poison out of range]
write 3, try 1, try 1, try 1, write 2
sql: {"T|1|a":1,"T|3|b":3} failed: [{"owner_type":"T","owner_id":"2","key":"poison","delta":2,"period":"","period_start":"1970-01-01"}] keys: {T:2}:f