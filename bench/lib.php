<?php
/**
 * What the benchmarks share: failing with the script's name, medians, timing a contender
 * for a while and a case of contenders in rotating order, the MariaDB connection and the
 * quiet state InnoDB is brought to before a timed sync, the table of rates and ratios, and
 * the `targets:` block (scripts/test's bench suite looks for that line).
 *
 *   require __DIR__ . '/lib.php';
 */
declare(strict_types=1);

/** Ends the run: "bench/<script>: $msg" on stderr, exit 1. */
function fail(string $msg): never
{
    fwrite(STDERR, 'bench/' . basename((string) ($_SERVER['SCRIPT_NAME'] ?? 'bench'), '.php') . ": $msg\n");
    exit(1);
}

function bench_now(): float
{
    return hrtime(true) / 1e9;
}

function median(array $xs): float
{
    sort($xs);
    $c = count($xs);
    return $c % 2 ? $xs[intdiv($c, 2)] : ($xs[$c / 2 - 1] + $xs[$c / 2]) / 2;
}

/** An environment variable of scripts/services, or $default, or fail() (not env(): Laravel's helper of that name is loaded with vendor/). */
function bench_env(string $name, ?string $default = null): string
{
    $v = getenv($name);
    if ($v === false || $v === '') {
        if ($default === null) fail("$name is not set: run the bench/ script, or source the env file of scripts/services");
        return $default;
    }
    return $v;
}

// ---- timing ------------------------------------------------------------------------------------

/** ops/s of $batch (returning how many ops it did), run until $seconds have passed. */
function ops_per_second(callable $batch, float $seconds): float
{
    $ops = 0;
    $t0 = hrtime(true);
    do {
        $ops += $batch();
        $dt = (hrtime(true) - $t0) / 1e9;
    } while ($dt < $seconds);
    return $ops / $dt;
}

/**
 * Runs a case: contenders name => [label, batch callable]. Each is called once to warm up
 * (connections, scripts loaded), then $runs times for $seconds, the order rotating between
 * runs. Returns name => median ops/s.
 */
function run_case(array $contenders, int $runs, float $seconds): array
{
    $names = array_keys($contenders);
    $samples = array_fill_keys($names, []);
    foreach ($contenders as [$label, $batch]) $batch();
    for ($r = 0; $r < $runs; $r++) {
        $order = array_merge(array_slice($names, $r % count($names)), array_slice($names, 0, $r % count($names)));
        foreach ($order as $name) $samples[$name][] = ops_per_second($contenders[$name][1], $seconds);
    }
    return array_map('median', $samples);
}

// ---- MariaDB -----------------------------------------------------------------------------------

/** The MariaDB of scripts/services, from its TALLY_TEST_MYSQL_* variables. */
/**
 * The sync benchmarks' workload: owner id (1..$owners) => [key => amount], $keysPer keys
 * each named from $names (then key<j>), amounts 1..100, the same in every run.
 */
function sync_workload(int $owners, int $keysPer, array $names): array
{
    $work = [];
    for ($i = 1; $i <= $owners; $i++) {
        for ($j = 0; $j < $keysPer; $j++) $work[$i][$names[$j] ?? "key$j"] = 1 + (($i * 31 + $j * 7) % 100);
    }
    return $work;
}

function mysql_config(): array
{
    return [
        'mysql_host' => bench_env('TALLY_TEST_MYSQL_HOST', '127.0.0.1'),
        'mysql_port' => (int) bench_env('TALLY_TEST_MYSQL_PORT'),
        'mysql_user' => bench_env('TALLY_TEST_MYSQL_USER'),
        'mysql_password' => bench_env('TALLY_TEST_MYSQL_PASSWORD', ''),
        'mysql_database' => bench_env('TALLY_TEST_MYSQL_DATABASE'),
    ];
}

// As Laravel's MySqlConnector sets it up: exceptions, native (server-side) prepares.
function connect_pdo(array $cfg): PDO
{
    return new PDO(
        "mysql:host={$cfg['mysql_host']};port={$cfg['mysql_port']};dbname={$cfg['mysql_database']};charset=utf8mb4",
        $cfg['mysql_user'],
        $cfg['mysql_password'],
        [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_EMULATE_PREPARES => false,
         PDO::ATTR_STRINGIFY_FETCHES => false],
    );
}

/** Tally's MariaDB sink on $table of the same server. */
function tally_database(array $cfg, string $table): Tally\Database
{
    return new Tally\Database([
        'driver' => 'mysql', 'host' => $cfg['mysql_host'], 'port' => $cfg['mysql_port'],
        'username' => $cfg['mysql_user'], 'password' => $cfg['mysql_password'],
        'database' => $cfg['mysql_database'], 'table' => $table, 'read_timeout' => 120.0,
    ]);
}

/** Drops and creates $tables (and their _sync tables) with tally's schema. */
function create_tables(PDO $pdo, array $tables): void
{
    foreach ($tables as $t) {
        $pdo->exec("DROP TABLE IF EXISTS `$t`, `{$t}_sync`");
        foreach (Tally\Database::schema('mysql', $t) as $ddl) $pdo->exec($ddl);
    }
}

function drop_tables(PDO $pdo, array $tables): void
{
    foreach ($tables as $t) $pdo->exec("DROP TABLE IF EXISTS `$t`, `{$t}_sync`");
}

/**
 * A root session over MariaDB's unix socket (scripts/services runs it with socket auth for
 * root), to flush dirty pages between runs; null when there is none (then settle() only
 * waits for the purge).
 */
function admin_pdo(): ?PDO
{
    $sock = getenv('TALLY_TEST_MYSQL_SOCKET');
    if (!$sock || !function_exists('posix_geteuid') || posix_geteuid() !== 0) return null;
    try {
        return new PDO("mysql:unix_socket=$sock", 'root', '', [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION]);
    } catch (PDOException) {
        return null;
    }
}

function innodb_status(PDO $pdo, string $name): int
{
    return (int) $pdo->query("SELECT variable_value FROM information_schema.global_status WHERE variable_name = '$name'")->fetchColumn();
}

/**
 * Brings InnoDB to the same quiet state before every timed run, so that no contender pays
 * for its predecessor's background work: waits (up to 10 s each) for the purge of earlier
 * runs' undo history and, with a root session, for the page cleaner to write back the
 * pages they dirtied (innodb_max_dirty_pages_pct 0 for the wait, then the old value).
 */
function settle(PDO $pdo): void
{
    static $admin = false;
    if ($admin === false) $admin = admin_pdo();
    $deadline = bench_now() + 10;
    while (innodb_status($pdo, 'INNODB_HISTORY_LIST_LENGTH') >= 100 && bench_now() < $deadline) usleep(50000);
    if (!$admin) return;
    $pct = $admin->query('SELECT @@GLOBAL.innodb_max_dirty_pages_pct')->fetchColumn();
    $admin->exec('SET GLOBAL innodb_max_dirty_pages_pct = 0');
    try {
        $deadline = bench_now() + 10;
        while (innodb_status($admin, 'INNODB_BUFFER_POOL_PAGES_DIRTY') >= 50 && bench_now() < $deadline) usleep(50000);
    } finally {
        $admin->exec('SET GLOBAL innodb_max_dirty_pages_pct = ' . (float) $pct);
    }
}

// ---- reporting ---------------------------------------------------------------------------------

/** The table of a run: rows [case, contender, ops/s, ratio or null for the subject]. */
final class BenchTable
{
    /** Column widths: case, contender, ops/s, ratio. */
    public const WIDTHS = [34, 46, 12, 10];

    public array $rows = [];
    /** case => contender name => ops/s */
    public array $results = [];

    /** A case's rows from run_case()'s medians; ratios are the subject's ops/s over each peer's. */
    public function add(string $case, array $contenders, array $opsps, string $subject): void
    {
        $this->results[$case] = $opsps;
        $first = true;
        foreach ($contenders as $name => [$label]) {
            $this->rows[] = [$first ? $case : '', $label, $opsps[$name], $name === $subject ? null : $opsps[$subject] / $opsps[$name]];
            $first = false;
        }
    }

    /** One row as it is (ratios computed by the caller, e.g. paired per repetition). */
    public function row(string $case, string $label, float $opsps, ?float $ratio): void
    {
        $this->rows[] = [$case, $label, $opsps, $ratio];
    }

    public function print(string $unit = 'ops/s'): void
    {
        $w = self::WIDTHS;
        printf("\n%-{$w[0]}s %-{$w[1]}s %{$w[2]}s %{$w[3]}s\n", 'case', 'contender', $unit, 'tally x');
        echo str_repeat('-', array_sum($w) + 3), "\n";
        foreach ($this->rows as [$case, $label, $ops, $ratio]) {
            printf("%-{$w[0]}s %-{$w[1]}s %{$w[2]}s %{$w[3]}s\n", $case, $label, number_format($ops, 0),
                $ratio === null ? '(tally)' : number_format($ratio, 2));
        }
    }
}

/**
 * The `targets:` block: [what, measured ratio, needed ratio] each, "ok" or "MISS"; a
 * string in the ratio's place (why a case could not run) is printed instead.
 */
function print_targets(array $targets): void
{
    echo "\ntargets:\n";
    foreach ($targets as $target) {
        [$what, $ratio, $need] = $target + [2 => null];
        if (is_string($ratio)) {
            printf("  %-50s %s\n", $what, $ratio);
        } else {
            printf("  %-50s %6.2fx  %s\n", $what, $ratio, $ratio >= $need ? 'ok' : 'MISS');
        }
    }
}
