<?php

// php artisan demo:count — the main job: forked workers serve simulated requests that count
// through HasCounters and Counter (profile views, downloads, API calls under a quota) while a
// progress bar follows the batch's ephemeral progress counters. What each worker issued goes
// to storage for demo:check, which reads everything back after counter:sync.

declare(strict_types=1);

namespace App\Console\Commands;

use App\Models\Organisation;
use App\Models\User;
use Illuminate\Console\Command;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\File;
use Tally\Laravel\Counter;
use Tally\Laravel\Ephemeral;
use Tally\Laravel\Progress;

final class CountDemo extends Command
{
    /** @var string */
    protected $signature = 'demo:count
        {workers=4 : Worker processes (forked)}
        {requests=1000 : Requests each worker serves}';

    /** @var string */
    protected $description = 'Create users and organisations, then count their activity from forked workers';

    /** @var array<string,array<int|string,array<string,int>>> owner type => id => key => amount, in this worker */
    private array $issued = [];

    public function handle(): int
    {
        $workers = filter_var($this->argument('workers'), FILTER_VALIDATE_INT, ['options' => ['min_range' => 1, 'max_range' => 64]]);
        $requests = filter_var($this->argument('requests'), FILTER_VALIDATE_INT, ['options' => ['min_range' => 1]]);
        if ($workers === false || $requests === false) {
            $this->error('workers must be 1 to 64 and requests at least 1');

            return self::FAILURE;
        }
        if (User::query()->exists()) {
            $this->error('demo:count starts from an empty database and Redis: scripts/demo --laravel gives it fresh ones');

            return self::FAILURE;
        }
        $total = $workers * $requests;

        $users = array_map(
            static fn (string $name): User => User::create(['name' => $name, 'email' => strtolower($name) . '@example.test']),
            ['Ada', 'Grace', 'Linus', 'Margaret']
        );
        $organisations = [
            Organisation::create(['name' => 'Acme', 'api_limit' => 1_000_000]),
            Organisation::create(['name' => 'Globex', 'api_limit' => max(1, intdiv($total, 8))]),   // runs out
        ];
        $this->line(sprintf(
            'tally %s, Laravel %s — %d workers × %d requests; %d users, %d organisations; Redis %s:%d, SQLite %s',
            phpversion('tally'),
            $this->laravel->version(),
            $workers,
            $requests,
            count($users),
            count($organisations),
            config('database.redis.default.host'),
            config('database.redis.default.port'),
            config('database.connections.sqlite.database')
        ));

        // Job progress as in the seeds: ephemeral counters, readable in one round trip.
        $progress = Ephemeral::progress('demo-' . getmypid());
        $progress->forget();
        $progress->addTotal($total);

        // A forked child must not use (or close) the parent's SQLite session: close it here,
        // each process opens its own when it needs one. Tally's sessions reopen by themselves.
        DB::disconnect();
        File::ensureDirectoryExists(storage_path('app'));
        $t0 = microtime(true);
        $pids = [];
        for ($w = 0; $w < $workers; $w++) {
            $pid = pcntl_fork();
            if ($pid === -1) {
                $this->error('fork failed');

                return self::FAILURE;
            }
            if ($pid === 0) {
                exit($this->work($w, $requests, $users, $organisations, $progress));
            }
            $pids[$w] = $pid;
        }

        $bar = $this->output->createProgressBar($total);
        $bar->setFormat(' %current%/%max% requests [%bar%] %percent:3s%%  %message%');
        $bar->setMessage('0 API calls refused (quota)');
        $bar->start();
        $broken = [];
        while ($pids !== []) {
            foreach ($pids as $w => $pid) {
                if (pcntl_waitpid($pid, $exit, WNOHANG) === $pid) {
                    unset($pids[$w]);
                    if (!pcntl_wifexited($exit) || pcntl_wexitstatus($exit) !== 0) {
                        $broken[] = $w;
                    }
                }
            }
            $status = $progress->get();
            $bar->setProgress($status->processed());
            $bar->setMessage("{$status->failed} API calls refused (quota)");
            if ($pids !== []) {
                usleep(100_000);
            }
        }
        $bar->finish();
        $this->newLine();
        $seconds = microtime(true) - $t0;
        $status = $progress->get();
        $progress->forget();
        if ($broken !== []) {
            $this->error('worker(s) ' . implode(', ', $broken) . ' failed (see above)');

            return self::FAILURE;
        }

        // What the workers issued, added up: demo:check compares every counter with it.
        $issued = [];
        for ($w = 0; $w < $workers; $w++) {
            $file = self::workerFile($w);
            foreach (json_decode((string) file_get_contents($file), true, flags: JSON_THROW_ON_ERROR) as $type => $ids) {
                foreach ($ids as $id => $keys) {
                    foreach ($keys as $key => $amount) {
                        $issued[$type][$id][$key] = ($issued[$type][$id][$key] ?? 0) + $amount;
                    }
                }
            }
            unlink($file);
        }
        file_put_contents(self::issuedFile(), json_encode($issued, JSON_PRETTY_PRINT | JSON_THROW_ON_ERROR));

        $this->line(sprintf(
            '  %d requests in %.2f s (%.0f/s over %d processes); %d API calls refused: %s made %d of its quota of %d',
            $status->processed(),
            $seconds,
            $status->processed() / $seconds,
            $workers,
            $status->failed,
            $organisations[1]->name,
            $organisations[1]->counter('api_calls'),
            $organisations[1]->api_limit
        ));
        $ada = $users[0];
        $this->line(sprintf(
            '  before any sync, %s has %d profile views (counter(): SQL + pending), %d of them in model_counters',
            $ada->name,
            $ada->counter('profile_views'),
            (int) $ada->modelCounters()->where('key', 'profile_views')->value('count')
        ));

        return self::SUCCESS;
    }

    /**
     * One worker process: $requests simulated requests, each counting what a real one would.
     * Returns its exit code.
     *
     * @param list<User> $users
     * @param list<Organisation> $organisations
     */
    private function work(int $w, int $requests, array $users, array $organisations, Progress $progress): int
    {
        try {
            mt_srand($w + 1);
            for ($i = 0; $i < $requests; $i++) {
                $user = $users[mt_rand(0, count($users) - 1)];
                $user->incrementCounter('profile_views');
                $this->issue($user, 'profile_views');
                if ($i % 4 === 0) {
                    $bytes = mt_rand(1, 1 << 20);
                    $user->incrementCounter('downloads');
                    Counter::increment($user, 'download_bytes', $bytes);   // the static API, same counters
                    $this->issue($user, 'downloads');
                    $this->issue($user, 'download_bytes', $bytes);
                }

                // The seed's quota check. Concurrent workers may each pass it at the limit, so
                // api_calls can end a few above api_limit; Tally\Laravel\RateLimit is exact.
                $organisation = $organisations[mt_rand(0, count($organisations) - 1)];
                if ($organisation->withinApiQuota()) {
                    $organisation->incrementCounter('api_calls');
                    $this->issue($organisation, 'api_calls');
                    $progress->complete();
                } else {
                    $progress->fail();
                }
            }
            file_put_contents(self::workerFile($w), json_encode($this->issued, JSON_THROW_ON_ERROR));

            return self::SUCCESS;
        } catch (\Throwable $e) {
            fwrite(STDERR, "worker $w: " . $e::class . ': ' . $e->getMessage() . "\n");

            return self::FAILURE;
        }
    }

    private function issue(Model $owner, string $key, int $amount = 1): void
    {
        $type = $owner->getMorphClass();
        $id = $owner->getKey();
        $this->issued[$type][$id][$key] = ($this->issued[$type][$id][$key] ?? 0) + $amount;
    }

    private static function workerFile(int $w): string
    {
        return storage_path("app/demo-issued-worker-$w.json");
    }

    /** Where demo:count leaves the totals it issued: owner type => id => key => amount. */
    public static function issuedFile(): string
    {
        return storage_path('app/demo-issued.json');
    }
}
