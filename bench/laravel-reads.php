<?php
/**
 * The Laravel read pair of bench/increments: a booted Laravel 12 application with the Tally
 * package, its connection on an SQLite file and then on MariaDB, and a model with counters;
 * $model->counter('views') against what an application writes by hand: Redis::hget() for the
 * pending part + DB::table()->value() for the stored part, on the same table and rows.
 */
declare(strict_types=1);

final class BenchReadUser extends Illuminate\Database\Eloquent\Model
{
    use Tally\Laravel\Traits\HasCounters;

    protected $table = 'users';
    public $timestamps = false;
}

/** A fresh Laravel application whose default connection is $connection. */
function laravel_reads_app(array $connection, string $prefix): Illuminate\Foundation\Application
{
    global $host, $port;
    $app = new Illuminate\Foundation\Application(sys_get_temp_dir());
    $app->instance('config', new Illuminate\Config\Repository([
        'app' => ['name' => 'bench', 'env' => 'production', 'debug' => false, 'timezone' => 'UTC'],
        'database' => [
            'default' => 'main',
            'connections' => ['main' => $connection],
            'redis' => [
                'client' => 'phpredis',
                'options' => ['prefix' => ''],
                'default' => ['host' => $host, 'port' => $port, 'database' => 0],
            ],
        ],
        'counter' => ['store' => 'default', 'prefix' => $prefix, 'table_name' => 'model_counters'],
    ]));
    Illuminate\Support\Facades\Facade::clearResolvedInstances();
    Illuminate\Support\Facades\Facade::setFacadeApplication($app);
    $app->register(Illuminate\Database\DatabaseServiceProvider::class);
    $app->register(Illuminate\Redis\RedisServiceProvider::class);
    $app->register(Tally\Laravel\TallyServiceProvider::class);
    $app->boot();
    return $app;
}

function laravel_read_case(BenchTable $report, int $runs, float $seconds): void
{
    $path = sys_get_temp_dir() . '/tally-bench-laravel-reads-' . getmypid() . '.sqlite';
    foreach (['', '-wal', '-shm', '-journal'] as $s) @unlink($path . $s);
    touch($path);
    $cfg = mysql_config();
    $connections = [
        'SQLite' => ['driver' => 'sqlite', 'database' => $path, 'prefix' => '', 'foreign_key_constraints' => false],
        'MariaDB' => ['driver' => 'mariadb', 'host' => $cfg['mysql_host'], 'port' => $cfg['mysql_port'],
            'database' => $cfg['mysql_database'], 'username' => $cfg['mysql_user'], 'password' => $cfg['mysql_password'],
            'charset' => 'utf8mb4', 'collation' => 'utf8mb4_unicode_ci', 'prefix' => ''],
    ];
    foreach ($connections as $label => $connection) {
        // A prefix per database: the pending deltas of one round stay out of the other's.
        $prefix = PREFIX . 'lread:' . $label . ':';
        laravel_reads_app($connection, $prefix);
        $db = Illuminate\Support\Facades\DB::connection();
        $schema = $db->getSchemaBuilder();
        $schema->dropIfExists('model_counters');
        $schema->dropIfExists('model_counters_sync');
        foreach (Tally\Database::schema($label === 'SQLite' ? 'sqlite' : 'mysql', 'model_counters') as $ddl) $db->statement($ddl);
        $user = new BenchReadUser();
        $user->id = 1;
        $user->exists = true;
        Tally\Laravel\Counter::increment($user, 'views', 100);
        $manager = app(Tally\Laravel\CounterManager::class);
        $manager->engine()->sync($manager->sink());
        Tally\Laravel\Counter::increment($user, 'views', 5);
        $type = $user->getMorphClass();
        $hash = $prefix . '{' . rawurlencode($type) . ':1}';
        $peer = fn (): int => (int) Illuminate\Support\Facades\Redis::hget($hash, 'views')
            + (int) Illuminate\Support\Facades\DB::table('model_counters')
                ->where('owner_type', $type)->where('owner_id', '1')->where('key', 'views')->value('count');
        if ($user->counter('views') !== 105 || $peer() !== 105) {
            fail("the Laravel read contenders disagree ($label): " . $user->counter('views') . ' vs ' . $peer());
        }
        $batch = 20;
        $c = [
            'tally' => ['tally $model->counter()', function () use ($user, $batch) {
                for ($i = 0; $i < $batch; $i++) $user->counter('views');
                return $batch;
            }],
            'peer' => ['Redis::hget() + DB::table()->value()', function () use ($peer, $batch) {
                for ($i = 0; $i < $batch; $i++) $peer();
                return $batch;
            }],
        ];
        $report->add("Laravel read $label: 1 counter", $c, run_case($c, $runs, $seconds), 'tally');
        $manager->engine()->forget($type, 1);
        $schema->dropIfExists('model_counters');
        $schema->dropIfExists('model_counters_sync');
    }
    foreach (['', '-wal', '-shm', '-journal'] as $s) @unlink($path . $s);
}
