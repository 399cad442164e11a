<?php
/**
 * Seed-pattern benchmark: each pattern of the seeds done by tally in one round trip against
 * the seed's own hand-written version over phpredis, in one run on one Redis. Operations per
 * second (median of --reps, contenders alternating) and the ratio tally/seed.
 *
 *   ttl-incr      incrementKey($k, 1, 3600)        vs  INCR + EXPIRE                (seed 000)
 *   fixed-limit   rateLimit(fixed)                 vs  INCR, EXPIRE on 1, compare   (seed 003)
 *   sliding-limit rateLimit(sliding, exact log)    vs  INCR, EXPIRE on 1, 2 GETs    (seed 003, weighted estimate)
 *   progress-read Progress::get() = getKeys(3)     vs  2 GETs                       (seed 000)
 *   rate-5min     getKeys(5 buckets)               vs  5 GETs                       (seed 000 RateCounter)
 *
 * Run through bench/patterns (own Redis), or with TALLY_TEST_REDIS_PORT set:
 *   php -d extension=modules/tally.so bench/patterns.php [--ops=N] [--reps=N]
 */
declare(strict_types=1);

require __DIR__ . '/lib.php';

$opt = getopt('', ['ops:', 'reps:']);
$ops = (int) ($opt['ops'] ?? 20000);
$reps = (int) ($opt['reps'] ?? 3);
$port = (int) getenv('TALLY_TEST_REDIS_PORT');
if (!$port || !extension_loaded('redis') || !extension_loaded('tally')) {
    fwrite(STDERR, "bench/patterns: needs TALLY_TEST_REDIS_PORT, phpredis and tally\n");
    exit(1);
}
$tally = new Tally\Counter(['host' => '127.0.0.1', 'port' => $port, 'prefix' => 'bt:']);
$redis = new Redis();
$redis->connect('127.0.0.1', $port);
$redis->setOption(Redis::OPT_PREFIX, 'bs:');

$minuteKeys = fn (string $p) => array_map(fn ($m) => "$p:" . date('Y-m-d-H-i', time() - 60 * $m), range(0, 4));

$cases = [
    'ttl-incr' => [
        fn (int $i) => $tally->incrementKey('label_group_success:' . ($i % 100), 1, 3600),
        function (int $i) use ($redis) {
            $k = 'label_group_success:' . ($i % 100);
            $n = $redis->incr($k);
            $redis->expire($k, 3600);
            return $n;
        },
    ],
    'fixed-limit' => [
        fn (int $i) => $tally->rateLimit('api:' . ($i % 100), 1000000, 60)['allowed'],
        function (int $i) use ($redis) {
            $k = 'rate:limit:' . ($i % 100);
            $n = $redis->incr($k);
            if ($n === 1) {
                $redis->expire($k, 60);
            }
            return $n <= 1000000;
        },
    ],
    'sliding-limit' => [
        fn (int $i) => $tally->rateLimit('api:' . ($i % 100), 100000, 60, ['sliding' => true])['allowed'],
        function (int $i) use ($redis) {
            $now = microtime(true);
            $win = (int) floor($now / 60);
            $k = 'rate:sliding:' . ($i % 100) . ':';
            $n = $redis->incr($k . $win);
            if ($n === 1) {
                $redis->expire($k . $win, 120);
            }
            $cur = (int) $redis->get($k . $win);
            $prev = (int) $redis->get($k . ($win - 1));
            $weight = fmod($now, 60) / 60;
            return $cur + $prev * (1 - $weight) < 100000;
        },
    ],
    'progress-read' => [
        fn (int $i) => $tally->getKeys(['progress:b:total', 'progress:b:completed', 'progress:b:failed']),
        fn (int $i) => [(int) $redis->get('batch_progress:b'), (int) $redis->get('batch_progress:b:failed')],
    ],
    'rate-5min' => [
        fn (int $i) => array_sum($tally->getKeys($minuteKeys('rate:api:calls:F'))),
        function (int $i) use ($redis, $minuteKeys) {
            $t = 0;
            foreach ($minuteKeys('rate:api:calls:F') as $k) {
                $t += (int) $redis->get($k);
            }
            return $t;
        },
    ],
];

printf("Seed-pattern benchmark: %d ops per contender, %d repetitions (median), Redis %s on 127.0.0.1:%d, PHP %s\n",
    $ops, $reps, $redis->info('server')['redis_version'], $port, PHP_VERSION);
printf("%-14s %12s %12s %10s\n", 'case', 'tally ops/s', 'seed ops/s', 'tally/seed');
foreach ($cases as $name => [$t, $s]) {
    $rates = [[], []];
    for ($rep = 0; $rep < $reps; $rep++) {
        foreach ($rep % 2 ? [1, 0] : [0, 1] as $who) {
            $fn = [$t, $s][$who];
            $fn(0);
            $start = hrtime(true);
            for ($i = 0; $i < $ops; $i++) {
                $fn($i);
            }
            $rates[$who][] = $ops / ((hrtime(true) - $start) / 1e9);
        }
    }
    [$rt, $rs] = [median($rates[0]), median($rates[1])];
    printf("%-14s %12.0f %12.0f %9.2fx\n", $name, $rt, $rs, $rt / $rs);
}
foreach ([$tally->getPrefix(), 'bs:'] as $p) {
    $redis->setOption(Redis::OPT_PREFIX, '');
    $it = null;
    while ($keys = $redis->scan($it, $p . '*', 1000)) {
        $redis->del($keys);
    }
}
