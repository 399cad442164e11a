--TEST--
A PHP Tally\Sink gets the same protocol: fenced batches with seqs, exact reads, and an exception that stops a run loses nothing
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';

/** A database in PHP arrays: what a Laravel connection does, minus SQL. */
final class ArraySink implements Tally\Sink
{
    public array $rows = [];
    public array $fences = [];
    public int $batches = 0;
    public ?string $failOn = null;

    public function beginRun(string $name): int
    {
        return $this->fences[$name] = ($this->fences[$name] ?? 0) + 1;
    }

    public function writeBatch(string $name, int $fence, array $rows): void
    {
        if (($this->fences[$name] ?? 0) !== $fence) {
            throw new RuntimeException('fence moved');
        }
        $copy = $this->rows;                          // the "transaction"
        foreach ($rows as [$type, $id, $key, $delta, $seq]) {
            $copy["$type|$id"][$key] = [($copy["$type|$id"][$key][0] ?? 0) + $delta, $seq];
            if ($key === $this->failOn) {
                throw new RuntimeException("rejected $key");
            }
        }
        $this->rows = $copy;
        $this->batches++;
    }

    public function read(string $ownerType, string $ownerId, ?array $keys, string $period = '', string $from = '1970-01-01', string $to = '1970-01-01'): array
    {
        return tally_lifetime_read($this->rows["$ownerType|$ownerId"] ?? [], $keys, $period);
    }

    public function committed(string $ownerType, string $ownerId, int $seq): bool
    {
        return tally_lifetime_committed($this->rows["$ownerType|$ownerId"] ?? [], $seq);
    }
}

$c = new Tally\Counter(tally_opts());
$sink = new ArraySink();
$c->increment('User', 1, 'downloads', 5);
$c->incrementMany('User', 2, ['views' => 3, 'likes' => -1, 'zero' => 0]);
$r = $c->sync($sink, ['batch_size' => 2]);
unset($r['seconds']);
echo json_encode($r), "\n";
echo json_encode($sink->rows), "\n";
$c->increment('User', 1, 'downloads', 2);
var_dump($c->get($sink, 'User', 1, 'downloads'), $c->getAll($sink, 'User', 2), $c->getMany($sink, 'User', 1, ['downloads', 'x']));

// The sink throws: the exception reaches the caller, the lock is released, nothing is lost.
$sink->failOn = 'poison';
$c->increment('User', 3, 'poison', 4);
tally_try(fn () => $c->sync($sink));
var_dump(tally_raw(['EXISTS', $c->getPrefix() . '{}:sync:lock']));
var_dump($c->get($sink, 'User', 3, 'poison'), $c->get($sink, 'User', 1, 'downloads'));
$sink->failOn = null;
$r = $c->sync($sink);
echo "recovered: {$r['recovered']}, synced: {$r['synced']}\n";
var_dump($c->get($sink, 'User', 3, 'poison'), $c->get($sink, 'User', 1, 'downloads'), tally_raw_keys($c->getPrefix()));

// Anything else is a TypeError.
tally_try(fn () => $c->sync(new stdClass()));
?>
--EXPECTF--
{"synced":3,"set_aside":0,"owners":2,"batches":2,"skipped":1,"recovered":0,"locked":false,"incomplete":false,"errors":[],"foreign":[]}
{"User|1":{"downloads":[5,1048577]},"User|2":{"views":[3,1048577],"likes":[-1,1048577]}}
int(7)
array(2) {
  ["views"]=>
  int(3)
  ["likes"]=>
  int(-1)
}
array(2) {
  ["downloads"]=>
  int(7)
  ["x"]=>
  int(0)
}
Tally\DatabaseException: ArraySink::writeBatch() threw RuntimeException: rejected poison
int(0)
int(4)
int(7)
recovered: 2, synced: 2
int(4)
int(7)
array(0) {
}
TypeError: Tally\Counter::sync(): Argument #1 ($database) must be of type Tally\Database|Tally\Sink, stdClass given
