--TEST--
Whatever a Tally\Sink throws (an Exception or an Error) that is not already a Tally\DatabaseException reaches sync() and the reads as a Tally\DatabaseException naming the sink method, with the original as getPrevious(); nothing is lost
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';

final class FailingSink implements Tally\Sink
{
    public array $fail = [];
    public array $rows = [];
    private int $fence = 0;

    public function beginRun(string $name): int
    {
        $this->fail['beginRun'] ?? null ? throw $this->fail['beginRun'] : null;
        return ++$this->fence;   // a sink's fence rises with every run
    }

    public function writeBatch(string $name, int $fence, array $rows): void
    {
        $this->fail['writeBatch'] ?? null ? throw $this->fail['writeBatch'] : null;
        foreach ($rows as [$type, $id, $key, $delta, $seq]) {
            $this->rows["$type|$id"][$key] = [($this->rows["$type|$id"][$key][0] ?? 0) + $delta, $seq];
        }
    }

    public function read(string $ownerType, string $ownerId, ?array $keys, string $period = '', string $from = '1970-01-01', string $to = '1970-01-01'): array
    {
        $this->fail['read'] ?? null ? throw $this->fail['read'] : null;
        return tally_lifetime_read($this->rows["$ownerType|$ownerId"] ?? [], $keys, $period);
    }

    public function committed(string $ownerType, string $ownerId, int $seq): bool
    {
        return tally_lifetime_committed($this->rows["$ownerType|$ownerId"] ?? [], $seq);
    }
}

function show(callable $fn): void
{
    try {
        $fn();
        echo "no exception\n";
    } catch (Throwable $e) {
        $p = $e->getPrevious();
        echo get_class($e), ': ', $e->getMessage(), ' | previous: ', $p ? get_class($p) . ' ' . $p->getMessage() : 'none', "\n";
    }
}

$c = new Tally\Counter(tally_opts());
$sink = new FailingSink();
$c->increment('User', 1, 'views', 4);
$sink->fail = ['beginRun' => new RuntimeException('no table')];
show(fn () => $c->sync($sink));
$sink->fail = ['writeBatch' => new LogicException('rejected', 7)];
show(fn () => $c->sync($sink));
$sink->fail = ['read' => new TypeError('bad row')];
show(fn () => $c->get($sink, 'User', 1, 'views'));
show(fn () => $c->getMany($sink, 'User', 1, ['views']));
show(fn () => $c->getAll($sink, 'User', 1));
// Already a Tally\DatabaseException (as Laravel's ConnectionSink throws): passed on as it is.
$sink->fail = ['writeBatch' => new Tally\DatabaseException('pgsql connection: deadlock')];
show(fn () => $c->sync($sink));
$sink->fail = [];
$r = $c->sync($sink);
echo "synced {$r['synced']}, recovered {$r['recovered']}, value ", $c->get($sink, 'User', 1, 'views'), "\n";
?>
--EXPECT--
Tally\DatabaseException: FailingSink::beginRun() threw RuntimeException: no table | previous: RuntimeException no table
Tally\DatabaseException: FailingSink::writeBatch() threw LogicException: rejected | previous: LogicException rejected
Tally\DatabaseException: FailingSink::read() threw TypeError: bad row | previous: TypeError bad row
Tally\DatabaseException: FailingSink::read() threw TypeError: bad row | previous: TypeError bad row
Tally\DatabaseException: FailingSink::read() threw TypeError: bad row | previous: TypeError bad row
Tally\DatabaseException: pgsql connection: deadlock | previous: none
synced 1, recovered 1, value 4
