<?php
// Concurrency of Tally\Counter::rateLimit(): forked workers hammer one limit at once, for
// both algorithms, and every admission is checked against the limit per window. Workers
// record each admitted attempt with the wall-clock instants it was sent and answered (the
// Redis server runs on this machine, so its clock is ours): the server decided somewhere
// in between, which is all the checks below rely on, so they can never fail a correct
// limiter whatever the scheduling. A deliberately racy limiter (GET, compare, INCRBY in
// separate round trips) runs through the same checks to show that they catch over-admission.
//
//   php -n -d extension=modules/tally.so tests/fault/ratelimit-race.php [--workers=N]
// Needs TALLY_TEST_REDIS_PORT (scripts/services). Prints the figures and a closing
// "N passed, N failed" line (one per check).
declare(strict_types=1);

$opt = getopt('', ['workers::']);
$workers = max(2, (int) ($opt['workers'] ?? 8));
$port = (int) getenv('TALLY_TEST_REDIS_PORT');
if (!$port) {
    fwrite(STDERR, "ratelimit-race: run under scripts/test (needs TALLY_TEST_REDIS_PORT)\n");
    exit(2);
}
$host = getenv('TALLY_TEST_REDIS_HOST') ?: '127.0.0.1';
$prefix = 'race:' . getmypid() . ':';
$tmp = sys_get_temp_dir() . '/tally-race-' . getmypid();
@mkdir($tmp);

$passed = 0;
$failed = 0;
function check(bool $ok, string $what): void
{
    global $passed, $failed;
    $ok ? $passed++ : $failed++;
    printf("%s %s\n", $ok ? 'ok    ' : 'FAILED', $what);
}

function now_us(): int
{
    return (int) round(microtime(true) * 1e6);
}

/** A minimal RESP client for the racy control limiter (php -n has no phpredis). */
final class Raw
{
    /** @var resource */
    private $s;

    public function __construct(string $host, int $port)
    {
        $this->s = fsockopen($host, $port, $errno, $errstr, 2.0) ?: throw new RuntimeException($errstr);
    }

    public function call(string ...$args): mixed
    {
        $out = '*' . count($args) . "\r\n";
        foreach ($args as $a) {
            $out .= '$' . strlen($a) . "\r\n$a\r\n";
        }
        fwrite($this->s, $out);
        $line = fgets($this->s);
        return match ($line[0]) {
            ':' => (int) substr($line, 1),
            '$' => (int) substr($line, 1) < 0 ? null : substr(fread($this->s, (int) substr($line, 1) + 2), 0, -2),
            default => trim(substr($line, 1)),
        };
    }
}

/**
 * Runs $workers children that call $attempt() from a common start instant until $seconds
 * have passed; returns every admission as [sent µs, answered µs, cost, remaining] and the
 * number of denials.
 */
function hammer(int $workers, float $seconds, callable $attempt, string $tmp): array
{
    $start = microtime(true) + 0.3;
    $pids = [];
    for ($w = 0; $w < $workers; $w++) {
        $pid = pcntl_fork();
        if ($pid === 0) {
            $rows = [];
            $denied = 0;
            mt_srand(getmypid());
            time_sleep_until($start);
            while (microtime(true) < $start + $seconds) {
                $cost = 0;
                $sent = now_us();
                $r = $attempt($cost);
                $recv = now_us();
                if ($r['allowed']) {
                    $rows[] = [$sent, $recv, $cost, $r['remaining']];
                } else {
                    $denied++;
                }
            }
            file_put_contents("$tmp/$w", serialize([$rows, $denied]));
            exit(0);
        }
        $pids[] = $pid;
    }
    foreach ($pids as $pid) {
        pcntl_waitpid($pid, $status);
    }
    $all = [];
    $denied = 0;
    for ($w = 0; $w < $workers; $w++) {
        [$rows, $d] = unserialize((string) file_get_contents("$tmp/$w"));
        unlink("$tmp/$w");
        array_push($all, ...$rows);
        $denied += $d;
    }
    usort($all, fn ($a, $b) => $a[0] <=> $b[0]);
    return [$all, $denied];
}

/**
 * Sliding-window violation: admissions whose whole [sent, answered] span lies inside
 * [t, t + window) were decided within less than a window of each other, so at the last
 * of them all were in its window. Returns the largest such sum of costs.
 */
function max_units_in_window(array $rows, int $windowUs): int
{
    $max = 0;
    foreach ($rows as $i => [$sent]) {
        $sum = 0;
        for ($j = $i; $j < count($rows) && $rows[$j][0] < $sent + $windowUs; $j++) {
            if ($rows[$j][1] < $sent + $windowUs) {
                $sum += $rows[$j][2];
            }
        }
        $max = max($max, $sum);
    }
    return $max;
}

/**
 * Fixed-window checks from the limiter's own answers (cost 1): a window starts with the
 * admission that leaves limit - 1; with K such starts, each remaining value 0..limit-1 may
 * appear at most K times (more means two admissions took the same unit of a window), and
 * consecutive starts lie at least a window apart.
 */
function fixed_windows(array $rows, int $limit, int $windowUs): array
{
    $starts = array_values(array_filter($rows, fn ($r) => $r[3] === $limit - 1));
    $byValue = array_count_values(array_map(fn ($r) => $r[3], $rows));
    $overTaken = 0;
    foreach ($byValue as $v => $n) {
        if ($v < 0 || $v >= $limit || $n > count($starts)) {
            $overTaken++;
        }
    }
    $tooClose = 0;
    for ($i = 1; $i < count($starts); $i++) {
        if ($starts[$i][1] - $starts[$i - 1][0] < $windowUs) {
            $tooClose++;
        }
    }
    return [count($starts), $overTaken, $tooClose];
}

$tally = fn () => new Tally\Counter(['host' => $host, 'port' => $port, 'prefix' => $prefix, 'read_timeout' => 5.0]);
$c = $tally();

/** An attempt on one limit with a random cost of 1..$maxCost, each worker on its own connection. */
function attempt(callable $tally, string $name, int $limit, int $window, bool $sliding, int $maxCost): callable
{
    return function (&$cost) use ($tally, $name, $limit, $window, $sliding, $maxCost) {
        static $t;
        $t ??= $tally();
        $cost = mt_rand(1, $maxCost);
        return $t->rateLimit($name, $limit, $window, ['sliding' => $sliding, 'cost' => $cost]);
    };
}
$raw = new Raw($host, $port);

// 1. One long fixed window: exactly the limit is admitted, whatever the contention, and
//    the counter holds the admitted units only (denials consumed nothing).
$c->resetRateLimit('long');
[$rows, $denied] = hammer($workers, 1.0, attempt($tally, 'long', 100, 600, false, 1), $tmp);
printf("fixed, one 600 s window, limit 100: %d admitted, %d denied by %d workers\n", count($rows), $denied, $workers);
check(count($rows) === 100, 'fixed: exactly the limit admitted in one window');
$rem = array_map(fn ($r) => $r[3], $rows);
sort($rem);
check($rem === range(0, 99), 'fixed: each unit handed out once (remaining 99..0, no repeats)');
check($raw->call('GET', $prefix . '{}:rl:f:long') === '100', 'fixed: denied attempts consumed nothing (counter = 100)');
check($denied > 0, 'fixed: the workers did contend past the limit');

// 2. One long sliding window, costs 1-3: never more than the limit, the log holds exactly
//    the admitted units, and the limit is used up (at most 2 units short for a cost of 3).
$c->resetRateLimit('long');
[$rows, $denied] = hammer($workers, 1.0, attempt($tally, 'long', 100, 600, true, 3), $tmp);
$units = array_sum(array_map(fn ($r) => $r[2], $rows));
printf("sliding, one 600 s window, limit 100, costs 1-3: %d units in %d admissions, %d denied\n", $units, count($rows), $denied);
check($units <= 100 && $units >= 98, 'sliding: admitted units within the limit and the limit used up');
check($raw->call('ZCARD', $prefix . '{}:rl:s:long') === $units, 'sliding: the log holds exactly the admitted units');

// 3. Short fixed windows (1 s, limit 20) for 3.5 s: per window at most the limit.
$c->resetRateLimit('short');
[$rows, $denied] = hammer($workers, 3.5, attempt($tally, 'short', 20, 1, false, 1), $tmp);
[$windows, $overTaken, $tooClose] = fixed_windows($rows, 20, 1000000);
printf("fixed, 1 s windows, limit 20, 3.5 s: %d admitted in %d windows, %d denied\n", count($rows), $windows, $denied);
check($windows >= 3 && count($rows) <= 20 * $windows, 'fixed: several windows, never more than the limit per window');
check($overTaken === 0, 'fixed: no unit of a window handed out twice');
check($tooClose === 0, 'fixed: each window lasted its full second');

// 4. Short sliding windows (1 s, limit 20, costs 1-2) for 3.5 s: at no instant more than
//    the limit within the last second.
$c->resetRateLimit('short');
[$rows, $denied] = hammer($workers, 3.5, attempt($tally, 'short', 20, 1, true, 2), $tmp);
$units = array_sum(array_map(fn ($r) => $r[2], $rows));
$max = max_units_in_window($rows, 1000000);
printf("sliding, 1 s window, limit 20, costs 1-2, 3.5 s: %d units admitted, at most %d in any second, %d denied\n",
    $units, $max, $denied);
check($max <= 20, 'sliding: never more than the limit within any window');
check($units >= 60, 'sliding: capacity freed as units left the window');

// 5. Control: a check-then-increment limiter in separate round trips over-admits under the
//    same load, and the checks above see it.
$raw->call('DEL', $prefix . 'racy');
[$rows] = hammer($workers, 1.0, function (&$cost) use ($host, $port, $prefix) {
    static $r;
    $r ??= new Raw($host, $port);
    $cost = 1;
    $used = (int) $r->call('GET', $prefix . 'racy');
    if ($used >= 100) {
        return ['allowed' => false];
    }
    usleep(1000);                                  // the gap every non-atomic limiter has
    $n = $r->call('INCRBY', $prefix . 'racy', '1');
    return ['allowed' => true, 'remaining' => 100 - $n];
}, $tmp);
printf("control (GET, compare, INCRBY), one window, limit 100: %d admitted\n", count($rows));
check(count($rows) > 100, 'control: the checks catch a racy limiter');
$raw->call('DEL', $prefix . 'racy');

$c->resetRateLimit('long');
$c->resetRateLimit('short');
@rmdir($tmp);
printf("%d passed, %d failed\n", $passed, $failed);
exit($failed === 0 ? 0 : 1);
