--TEST--
A PHP sink's fence below 1, too large for fence * 2^20, or not above the fence of a run that left claims behind is refused before anything is claimed: the report names the values, no claim is poisoned, reads stay exact and a good fence then syncs everything
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';

/** Rows in a PHP array; beginRun() returns the fences the test queues. */
final class QueueSink implements Tally\Sink
{
    public array $rows = [];
    public array $next = [];
    public int $fence = 0;
    public bool $fail = false;

    public function beginRun(string $name): int
    {
        return $this->fence = array_shift($this->next);
    }

    public function writeBatch(string $name, int $fence, array $rows): void
    {
        if ($fence !== $this->fence) {
            throw new RuntimeException('fence moved');
        }
        if ($this->fail) {
            throw new RuntimeException('rejected');
        }
        foreach ($rows as [$type, $id, $key, $delta, $seq]) {
            $this->rows["$type|$id"][$key] = [($this->rows["$type|$id"][$key][0] ?? 0) + $delta, $seq];
        }
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
$prefix = $c->getPrefix();
$c->flush();
$sink = new QueueSink();
$c->increment('User', 1, 'n', 5);
foreach ([0, -3, PHP_INT_MAX, 8796093022208] as $fence) {
    $sink->next = [$fence];
    echo tally_report($c->sync($sink)), "\n";
}
var_dump($c->get($sink, 'User', 1, 'n'), tally_raw_keys($prefix));
// The largest fence whose seqs fit: fence * 2^20 + 1.
$sink->next = [8796093022207];
echo tally_report($c->sync($sink)), "\n";
echo json_encode($sink->rows), "\n";
var_dump($c->get($sink, 'User', 1, 'n'), tally_raw_keys($prefix));

// A run whose batch fails leaves its claim, and its fence is remembered: a next fence at
// or below it is refused, one above it recovers the claim.
$sink = new QueueSink();
$c->increment('User', 2, 'n', 4);
$sink->next = [10];
$sink->fail = true;
tally_try(fn () => $c->sync($sink));
$sink->fail = false;
var_dump(tally_raw(['GET', $prefix . '{}:sync:fence']), $c->get($sink, 'User', 2, 'n'));
foreach ([10, 7] as $fence) {
    $sink->next = [$fence];
    echo tally_report($c->sync($sink)), "\n";
}
$sink->next = [11];      // the leftover is re-stamped: written under the recovering run's seq
echo tally_report($c->sync($sink)), "\n";
echo json_encode($sink->rows), "\n";
// A clean run forgets the fence: nothing of Tally's is left in Redis.
var_dump($c->get($sink, 'User', 2, 'n'), tally_raw_keys($prefix));
?>
--EXPECT--
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[the sink gave the sync run fence 0: a fence must be between 1 and 8796093022207 (nothing was claimed)]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[the sink gave the sync run fence -3: a fence must be between 1 and 8796093022207 (nothing was claimed)]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[the sink gave the sync run fence 9223372036854775807: a fence must be between 1 and 8796093022207 (nothing was claimed)]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[the sink gave the sync run fence 8796093022208: a fence must be between 1 and 8796093022207 (nothing was claimed)]
int(5)
array(1) {
  [0]=>
  string(37) "tt:411-errors-sink-bad-fence:{User:1}"
}
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
{"User|1":{"n":[5,9223372036853727233]}}
int(5)
array(0) {
}
Tally\DatabaseException: QueueSink::writeBatch() threw RuntimeException: rejected
string(2) "10"
int(4)
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[the sink gave the sync run fence 10, not above 10, the fence of an earlier run of this prefix: a sink's fence must rise with every run (nothing was claimed)]
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[the sink gave the sync run fence 7, not above 10, the fence of an earlier run of this prefix: a sink's fence must rise with every run (nothing was claimed)]
synced=1 owners=1 batches=1 skipped=0 recovered=1 locked=false incomplete=false errors=[]
{"User|2":{"n":[4,11534337]}}
int(4)
array(0) {
}
