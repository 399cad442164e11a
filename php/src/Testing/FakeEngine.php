<?php

// The in-memory engine of Counter::fake(): what CounterManager, Ephemeral, PathHits, Progress
// and the commands call on the extension's Tally\Counter, with its semantics (pending deltas
// per period, exact reads of stored + pending, all-or-nothing overflow, its argument checks
// and exception classes) and no Redis. Time is Carbon's clock (Carbon::setTestNow() moves it).

declare(strict_types=1);

namespace Tally\Laravel\Testing;

use DateTimeInterface;
use Illuminate\Support\Carbon;
use Tally\InvalidArgumentException;
use Tally\Laravel\Enums\Interval;
use Tally\OverflowException;
use Tally\RejectedException;
use Tally\Sink;

final class FakeEngine
{
    use FakeEphemeral;
    use FakeUniques;
    use FakeExactReads;

    /** The width of the key column: the longest key a write may use (the extension's rule). */
    public const KEY_COLUMN = 100;
    /** owner_type and owner_id columns. */
    public const OWNER_MAX = 255;
    private const PERIODS = ['', 'day', 'week', 'month', 'quarter', 'year'];
    private const TTL_MAX = 315360000;
    private const SYNC_OPTIONS = ['batch_size', 'dry_run', 'pattern', 'time_budget', 'lock_ttl', 'progress', 'on_batch'];

    /**
     * @var array<string,array<string,array{string,string,string,int}>> pending deltas:
     *      owner => field => [key, period, period start, delta], as Redis holds one hash per owner
     */
    private array $pending = [];
    /** @var array<string,array{string,string}> owner => [type, id] */
    private array $owners = [];
    /** @var array<string,array<string,array{string,string,string,int}>> what sync() set aside, as $pending (still counted by reads) */
    private array $setAside = [];

    public function __construct(
        private readonly string $prefix = 'counter:',
        private readonly int $maxKeyLength = self::KEY_COLUMN,
    ) {
    }

    // ---- owner counters: writes --------------------------------------------------------

    /** @param list<string> $periods */
    public function increment(string $ownerType, int|string $ownerId, string $key, mixed $amount = 1, array $periods = [], DateTimeInterface|string|null $at = null): int
    {
        $amount = self::amount($amount);
        $targets = self::targets($periods, $at);

        return $this->apply($ownerType, $ownerId, [$key => $amount], $targets, true)[$key];
    }

    /** @param list<string> $periods */
    public function decrement(string $ownerType, int|string $ownerId, string $key, mixed $amount = 1, array $periods = [], DateTimeInterface|string|null $at = null): int
    {
        $amount = self::amount($amount);
        $targets = self::targets($periods, $at);
        if ($amount === PHP_INT_MIN) {
            throw new InvalidArgumentException("amount $amount cannot be negated");
        }

        return $this->apply($ownerType, $ownerId, [$key => -$amount], $targets, true)[$key];
    }

    /**
     * @param array<array-key,mixed> $amounts
     * @param list<string> $periods
     * @return array<string,int>
     */
    public function incrementMany(string $ownerType, int|string $ownerId, array $amounts, array $periods = [], DateTimeInterface|string|null $at = null): array
    {
        $perKey = array_filter($periods, 'is_array') !== [];
        if ($perKey) {
            // key => its own list, as the extension takes it: one all-or-nothing apply.
            $targets = [];
            self::day($at, 'at');
            foreach ($periods as $list) {
                if (!is_array($list)) {
                    throw new InvalidArgumentException('periods maps each key to a list of period names; found ' . self::typeName($list));
                }
            }
            foreach (array_keys($amounts) as $key) {
                $targets[(string) $key] = self::targets($periods[$key] ?? [], $at);
            }
        } else {
            $targets = self::targets($periods, $at);
        }
        $deltas = [];
        foreach ($amounts as $key => $amount) {
            if (!is_int($amount)) {
                throw new InvalidArgumentException(sprintf("amounts must map key names to int deltas; '%s' maps to %s", $key, self::typeName($amount)));
            }
            $deltas[(string) $key] = $amount;
        }

        return $this->apply($ownerType, $ownerId, $deltas, $targets, false, $perKey);
    }

    public function forget(string $ownerType, int|string $ownerId, ?string $key = null, ?string $period = null): int
    {
        if ($period !== null && !in_array($period, self::PERIODS, true)) {
            throw new InvalidArgumentException("period must be null, '' (the lifetime counter), 'day', 'week', 'month', 'quarter' or 'year', got '$period'");
        }
        if ($key !== null) {
            $this->checkKey($key, $this->maxKeyLength);
        }
        $owner = $this->owner($ownerType, $ownerId);
        $dropped = 0;
        foreach ($this->pending[$owner] ?? [] as $field => [$k, $p]) {
            if ($key === null || ($k === $key && ($period === null || $p === $period))) {
                unset($this->pending[$owner][$field]);
                $dropped++;
            }
        }

        return $dropped;
    }

    /** Nothing is ever buffered: every write is applied at once. */
    public function flush(): int
    {
        return 0;
    }

    // ---- owner counters: pending reads (exact reads: FakeExactReads) ---------------------

    public function pending(string $ownerType, int|string $ownerId, string $key, ?string $period = null, DateTimeInterface|string|null $at = null): int
    {
        return $this->pendingMany($ownerType, $ownerId, [$key], $period, $at)[$key];
    }

    /**
     * @param list<string> $keys
     * @return array<string,int>
     */
    public function pendingMany(string $ownerType, int|string $ownerId, array $keys, ?string $period = null, DateTimeInterface|string|null $at = null): array
    {
        [$period, $start] = self::readTarget($period, $at);
        $keys = $this->names($keys, false);
        $owner = $this->owner($ownerType, $ownerId);
        $out = [];
        foreach ($keys as $key) {
            $out[$key] = $this->pending[$owner][self::field($key, $period, $start)][3] ?? 0;
        }

        return $out;
    }

    /** @return array<string,int> */
    public function pendingAll(string $ownerType, int|string $ownerId): array
    {
        $owner = $this->owner($ownerType, $ownerId);
        $out = [];
        foreach ($this->pending[$owner] ?? [] as [$key, $period, , $delta]) {
            if ($period === '') {
                $out[$key] = $delta;
            }
        }

        return $out;
    }

    // ---- sync --------------------------------------------------------------------------

    /**
     * Moves every pending delta (of owner types matching 'pattern') into $database in one
     * batch, through the Sink interface as the extension does: a row the database rejects
     * (Tally\RejectedException) is set aside, kept out of pending and still counted.
     *
     * @param array<string,mixed> $options
     * @return array<string,mixed> the extension's report
     */
    public function sync(Sink $database, array $options = []): array
    {
        foreach ($options as $name => $value) {
            if (!in_array($name, self::SYNC_OPTIONS, true)) {
                throw new InvalidArgumentException("unknown sync option '$name'; valid options are: " . implode(', ', self::SYNC_OPTIONS));
            }
        }
        foreach (['progress', 'on_batch'] as $name) {
            if (isset($options[$name]) && !is_callable($options[$name])) {
                throw new InvalidArgumentException("option '$name' must be a callable");
            }
        }
        $pattern = $options['pattern'] ?? '*';
        if (!is_string($pattern) || $pattern === '') {
            throw new InvalidArgumentException("option 'pattern' must not be empty (omit it to sync every owner type)");
        }
        $started = microtime(true);
        $rows = [];
        $zero = [];
        $owners = [];
        foreach ($this->pending as $owner => $fields) {
            [$type, $id] = $this->owners[$owner];
            if ($fields === [] || !fnmatch($pattern, $type, FNM_NOESCAPE)) {
                continue;
            }
            $owners[$owner] = true;
            foreach ($fields as $field => [$key, $period, $start, $delta]) {
                if ($delta === 0) {
                    $zero[] = [$owner, $field];   // nothing to write: the key goes, as the extension drops it

                    continue;
                }
                $rows[] = ['owner' => $owner, 'field' => $field, 'row' => [$type, $id, $key, $delta, 0, 'period' => $period, 'period_start' => $start]];
            }
        }
        $report = ['synced' => 0, 'set_aside' => 0, 'owners' => 0, 'batches' => 0, 'skipped' => 0, 'recovered' => 0,
            'seconds' => 0.0, 'locked' => false, 'incomplete' => false, 'errors' => [], 'foreign' => []];
        $dry = ($options['dry_run'] ?? false) === true;
        $report['skipped'] = count($zero);
        if (!$dry) {
            foreach ($zero as [$owner, $field]) {
                unset($this->pending[$owner][$field]);
            }
        }
        if ($rows === []) {
            return ['seconds' => microtime(true) - $started] + $report;
        }
        $rowArrays = array_map(static fn (array $r): array => [
            'owner_type' => $r['row'][0], 'owner_id' => $r['row'][1], 'key' => $r['row'][2], 'delta' => $r['row'][3],
            'period' => $r['row']['period'], 'period_start' => $r['row']['period_start'],
        ], $rows);
        if ($dry) {
            if (isset($options['on_batch'])) {
                ($options['on_batch'])($rowArrays);
            }

            return ['owners' => count($owners), 'seconds' => microtime(true) - $started] + $report;
        }
        $fence = $database->beginRun($this->prefix);
        $written = [];
        foreach ($rows as $i => $r) {
            $r['row'][4] = $fence;
            try {
                $database->writeBatch($this->prefix, $fence, [$r['row']]);
                $written[] = $rowArrays[$i];
                $report['synced']++;
            } catch (RejectedException $e) {
                $old = $this->setAside[$r['owner']][$r['field']][3] ?? 0;
                $this->setAside[$r['owner']][$r['field']] = [$r['row'][2], $r['row']['period'], $r['row']['period_start'], $old + $r['row'][3]];
                $report['set_aside']++;
                $report['errors'][] = $e->getMessage();
            }
            unset($this->pending[$r['owner']][$r['field']]);
        }
        $report['owners'] = count($owners);
        $report['batches'] = 1;
        if (isset($options['on_batch'])) {
            ($options['on_batch'])($written);
        }
        if (isset($options['progress'])) {
            ($options['progress'])(count($rows));
        }

        return ['seconds' => microtime(true) - $started] + $report;
    }

    /** @return list<array<string,mixed>> the counters sync() set aside, as the extension lists them */
    public function failed(?string $pattern = null): array
    {
        if ($pattern === '') {
            throw new InvalidArgumentException('the owner type pattern must not be empty (pass null for every owner type)');
        }
        $out = [];
        foreach ($this->setAside as $owner => $fields) {
            [$type, $id] = $this->owners[$owner];
            if ($pattern === null || fnmatch($pattern, $type, FNM_NOESCAPE)) {
                foreach ($fields as [$key, $period, $start, $delta]) {
                    $out[] = ['owner_type' => $type, 'owner_id' => $id, 'key' => $key, 'delta' => $delta, 'period' => $period, 'period_start' => $start];
                }
            }
        }

        return $out;
    }

    /** @return list<array<string,mixed>> the rows put back into pending */
    public function retryFailed(?string $pattern = null): array
    {
        $rows = $this->failed($pattern);
        foreach ($this->setAside as $owner => $fields) {
            if ($pattern === null || fnmatch($pattern, $this->owners[$owner][0], FNM_NOESCAPE)) {
                unset($this->setAside[$owner]);
                foreach ($fields as $field => [$key, $period, $start, $delta]) {
                    $this->pending[$owner][$field] = [$key, $period, $start, ($this->pending[$owner][$field][3] ?? 0) + $delta];
                }
            }
        }

        return $rows;
    }

    public function getPrefix(): string
    {
        return $this->prefix;
    }

    // ---- internals ---------------------------------------------------------------------

    /**
     * Adds each delta to every target, all or nothing: one delta that would overflow its
     * pending value leaves every counter as it was.
     *
     * @param array<string,int> $deltas key => delta
     * @param list<array{string,string}> $targets [period, start]
     * @return array<string,int> key => new pending value of the first target
     */
    /** @param bool $perKey $targets is key => that key's targets */
    private function apply(string $ownerType, int|string $ownerId, array $deltas, array $targets, bool $named, bool $perKey = false): array
    {
        foreach (array_keys($deltas) as $key) {
            $this->checkWriteKey((string) $key);
        }
        $owner = $this->owner($ownerType, $ownerId);
        $next = $this->pending[$owner] ?? [];
        $out = [];
        foreach ($deltas as $key => $delta) {
            $key = (string) $key;
            foreach ($perKey ? $targets[$key] : $targets as $i => [$period, $start]) {
                $field = self::field($key, $period, $start);
                $value = ($next[$field][3] ?? 0) + $delta;
                if (!is_int($value)) {
                    throw new OverflowException(sprintf(
                        '%s of %s #%s: ERR increment or decrement would overflow',
                        $named ? "incrementing counter '$key'" : 'incrementing counters',
                        $ownerType,
                        $ownerId
                    ));
                }
                $next[$field] = [$key, $period, $start, $value];
                if ($i === 0) {
                    $out[$key] = $value;
                }
            }
        }
        $this->pending[$owner] = $next;

        return $out;
    }

    /** @return iterable<array{string,string,string,int}> the owner's pending and set-aside deltas */
    private function held(string $owner): iterable
    {
        yield from array_values($this->pending[$owner] ?? []);
        yield from array_values($this->setAside[$owner] ?? []);
    }

    /** The owner's id in this store, after the extension's checks (both empty: global). */
    private function owner(string $type, int|string $id): string
    {
        $id = (string) $id;
        if (($type === '') !== ($id === '')) {
            throw new InvalidArgumentException(sprintf('%s must not be empty (a global counter has an empty owner type AND an empty owner id)', $type === '' ? 'owner type' : 'owner id'));
        }
        foreach (['owner type' => $type, 'owner id' => $id] as $what => $text) {
            if (strlen($text) > self::OWNER_MAX) {
                throw new InvalidArgumentException(sprintf('%s is %d bytes long; the maximum is %d', $what, strlen($text), self::OWNER_MAX));
            }
        }
        $owner = strlen($type) . ':' . $type . $id;
        $this->owners[$owner] = [$type, $id];

        return $owner;
    }

    private function checkWriteKey(string $key): void
    {
        if (strlen($key) > self::KEY_COLUMN && $this->maxKeyLength >= strlen($key)) {
            throw new InvalidArgumentException(sprintf(
                'counter key is %d bytes long; owner counters\' keys are stored in the %2$d-byte key column, so %2$d bytes is their maximum (max_key_length only applies below it)',
                strlen($key),
                self::KEY_COLUMN
            ));
        }
        $this->checkKey($key, $this->maxKeyLength);
    }

    private function checkKey(string $key, int $max, string $what = 'counter key'): void
    {
        if ($key === '') {
            throw new InvalidArgumentException("$what must not be empty");
        }
        if (strlen($key) > $max) {
            throw new InvalidArgumentException(sprintf('%s is %d bytes long; the maximum is %d', $what, strlen($key), $max));
        }
    }

    /**
     * Key names of a read (int keys are their decimal strings), each checked as a counter's
     * key or ($ephemeral) as an ephemeral key's.
     *
     * @param array<array-key,mixed> $keys
     * @return list<string>
     */
    private function names(array $keys, bool $ephemeral): array
    {
        $names = [];
        $i = 0;
        foreach ($keys as $key) {
            if (!is_string($key) && !is_int($key)) {
                throw new InvalidArgumentException(sprintf('keys must hold key names (strings), %s found at position %d', self::typeName($key), $i));
            }
            $ephemeral ? $this->checkEphemeral((string) $key) : $this->checkKey((string) $key, $this->maxKeyLength);
            $names[] = (string) $key;
            $i++;
        }

        return $names;
    }

    private static function checkLimit(int $n, string $what): void
    {
        if ($n < 1 || $n > 10000) {
            throw new InvalidArgumentException("$what must be 1 to 10000, $n given");
        }
    }

    private static function amount(mixed $amount): int
    {
        if (!is_int($amount)) {
            throw new InvalidArgumentException(sprintf('amount must be an int, %s given', self::typeName($amount)));
        }

        return $amount;
    }

    /**
     * The [period, start] targets of a write: [] is the lifetime counter alone.
     *
     * @param array<array-key,mixed> $periods
     * @return list<array{string,string}>
     */
    private static function targets(array $periods, DateTimeInterface|string|null $at): array
    {
        if ($periods === []) {
            if ($at !== null) {
                self::day($at, 'at');
            }

            return [['', FakeDatabase::LIFETIME_START]];
        }
        $day = self::day($at, 'at');
        if (count($periods) > count(self::PERIODS)) {
            throw new InvalidArgumentException(sprintf("periods may name the lifetime counter ('') and each period once: at most %d names", count(self::PERIODS)));
        }
        $targets = [];
        foreach ($periods as $period) {
            if (!is_string($period)) {
                throw new InvalidArgumentException('periods must be a list of period names, found ' . self::typeName($period));
            }
            if (!in_array($period, self::PERIODS, true)) {
                throw new InvalidArgumentException("each of periods must be null, '' (the lifetime counter), 'day', 'week', 'month', 'quarter' or 'year', got '$period'");
            }
            if (isset($targets[$period])) {
                throw new InvalidArgumentException("periods lists '$period' twice");
            }
            $targets[$period] = [$period, self::start($period, $day)];
        }

        return array_values($targets);
    }

    /** @return array{string,string} [period, start] of a read */
    private static function readTarget(?string $period, DateTimeInterface|string|null $at): array
    {
        $period ??= '';
        if (!in_array($period, self::PERIODS, true)) {
            throw new InvalidArgumentException("period must be null, '' (the lifetime counter), 'day', 'week', 'month', 'quarter' or 'year', got '$period'");
        }
        if ($period === '') {
            if ($at !== null) {
                self::day($at, 'at');
            }

            return ['', FakeDatabase::LIFETIME_START];
        }

        return [$period, self::start($period, self::day($at, 'at'))];
    }

    private static function interval(string $period): Interval
    {
        return Interval::tryFrom($period) ?? throw new InvalidArgumentException(
            "period must be 'day', 'week', 'month', 'quarter' or 'year', got '$period'"
        );
    }

    /** The calendar day $at names, as the extension reads it: null is today in PHP's default zone. */
    private static function day(DateTimeInterface|string|null $at, string $param): string
    {
        $day = match (true) {
            $at === null => date('Y-m-d'),
            $at instanceof DateTimeInterface => $at->format('Y-m-d'),
            default => $at,
        };
        $parsed = \DateTimeImmutable::createFromFormat('!Y-m-d', $day, new \DateTimeZone('UTC'));
        if ($parsed === false || $parsed->format('Y-m-d') !== $day || $day < '1970-01-01') {
            throw new InvalidArgumentException(sprintf("%s must be a date 'Y-m-d' from 1970-01-01 to 9999-12-31, got '%s'", $param, substr($day, 0, 40)));
        }

        return $day;
    }

    /** The first day of the period containing $day (Interval's calendar math); the lifetime sentinel for ''. */
    private static function start(string $period, string $day): string
    {
        if ($period === '') {
            return FakeDatabase::LIFETIME_START;
        }

        return Interval::from($period)->periodStart(Carbon::createFromFormat('!Y-m-d', $day, 'UTC'))->format('Y-m-d');
    }

    private static function field(string $key, string $period, string $start): string
    {
        return $period === '' ? $key : "$period\0$start\0$key";
    }

    private static function now(): float
    {
        return (float) Carbon::now()->format('U.u');
    }

    private static function typeName(mixed $value): string
    {
        return match (true) {
            is_float($value) => 'float',
            is_bool($value) => $value ? 'true' : 'false',
            is_null($value) => 'null',
            default => get_debug_type($value),
        };
    }
}
