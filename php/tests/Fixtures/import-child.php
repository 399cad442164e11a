<?php

// A separate process that runs counter:import-model-counter on the test's application and
// SIGKILLs itself at a chosen point, for ImportModelCounterTest's kill-and-rerun test:
//   php import-child.php AUTOLOAD STATE_FILE rows|keys N
// rows: killed when the N-th DELETE of source rows has run (its transaction not committed);
// keys: killed when the N-th Lua script of the import has run (the probe is the first).

declare(strict_types=1);

use Illuminate\Database\Eloquent\Relations\Relation;
use Illuminate\Database\Events\QueryExecuted;
use Illuminate\Redis\Events\CommandExecuted;
use Tally\Laravel\Tests\Fixtures\Laravel;

require $argv[1];
['basePath' => $basePath, 'config' => $config, 'morphMap' => $morphMap, 'parameters' => $parameters] = unserialize((string) file_get_contents($argv[2]));
[$mode, $n] = [$argv[3], (int) $argv[4]];

$app = Laravel::boot($basePath, $config);
$app->register(Illuminate\Redis\RedisServiceProvider::class);
$app->register(Illuminate\Cache\CacheServiceProvider::class);
Relation::morphMap($morphMap);
$kill = static function () use (&$n): void {
    if (--$n === 0) {
        posix_kill(getmypid(), SIGKILL);
    }
};
if ($mode === 'rows') {
    $app->make('events')->listen(QueryExecuted::class, static function (QueryExecuted $q) use ($kill): void {
        if (stripos(ltrim($q->sql), 'delete') === 0) {
            $kill();
        }
    });
} else {
    $app->make('redis')->enableEvents();
    $app->make('events')->listen(CommandExecuted::class, static function (CommandExecuted $c) use ($kill): void {
        if (strtolower($c->command) === 'eval') {
            $kill();
        }
    });
}
$code = $app->make(Illuminate\Contracts\Console\Kernel::class)->call('counter:import-model-counter', $parameters);
fwrite(STDOUT, "finished with $code\n");
exit(3);   // never reached when the kill point lies inside the run
