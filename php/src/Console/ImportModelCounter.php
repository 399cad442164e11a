<?php

// php artisan counter:import-model-counter — brings rejoose/model-counter's counters into
// Tally exactly once: its table's rows (lifetime, periods, globals) into Tally's table, its
// pending Redis keys into Tally's owner hashes (Import\TableImport, Import\KeyImport). Killed
// midway and run again, it moves what is left: nothing lost, nothing doubled.

declare(strict_types=1);

namespace Tally\Laravel\Console;

use Illuminate\Console\Command;
use Illuminate\Contracts\Cache\Factory as CacheFactory;
use Illuminate\Database\DatabaseManager;
use Tally\Exception as TallyException;
use Tally\InvalidArgumentException;
use Tally\Laravel\Import\ImportException;
use Tally\Laravel\Import\KeyImport;
use Tally\Laravel\Import\OwnerTypes;
use Tally\Laravel\Import\PeerTable;
use Tally\Laravel\Import\Report;
use Tally\Laravel\Import\TableImport;
use Tally\Laravel\Settings;

final class ImportModelCounter extends Command
{
    public const BATCH_SIZE_MAX = 10000;
    /** Lines of the "left in place" list shown; the rest is counted. */
    private const SHOWN = 50;

    /** @var string */
    protected $signature = 'counter:import-model-counter
        {--dry-run : Report what would move; change nothing}
        {--from-table= : The rejoose/model-counter table (default: <table>_before_tally, where the migration sets it aside, else model_counters)}
        {--store= : Its cache store (default: counter.store when that is a redis cache store, else redis)}
        {--prefix= : Its counter.prefix (default: counter.prefix)}
        {--model=* : Model classes or morph aliases its owners may be (besides the morph map and loaded models)}
        {--no-keys : Leave its pending Redis keys alone (import the table only)}
        {--batch-size=500 : Rows per transaction}';

    /** @var string */
    protected $description = 'Import rejoose/model-counter\'s counters (table rows and pending Redis keys) into Tally, exactly once';

    /** @var string */
    protected $help = 'Rows move in transactions of --batch-size rows that add their counts into Tally\'s table and delete them'
        . ' from the source; each pending key moves in one Lua script (read, HINCRBY into Tally\'s owner hash, delete). Run it'
        . ' again after a kill, or after the last app server stopped writing the old keys: it moves what is left. Owners are'
        . ' mapped through the morph map, --model and the loaded models; what cannot be mapped is reported and left in place.'
        . ' Exit code 0 when everything moved, 1 when something was left in place or nothing could be imported.';

    public function handle(Settings $settings, DatabaseManager $db, CacheFactory $cache): int
    {
        $batch = filter_var($this->option('batch-size'), FILTER_VALIDATE_INT);
        if ($batch === false || $batch < 1 || $batch > self::BATCH_SIZE_MAX) {
            $this->error(sprintf("--batch-size must be a whole number from 1 to %d, got '%s'", self::BATCH_SIZE_MAX, $this->option('batch-size')));

            return self::FAILURE;
        }
        $dry = (bool) $this->option('dry-run');
        $report = new Report();
        try {
            $owners = new OwnerTypes(array_values((array) $this->option('model')));
            $connection = $db->connection($settings->connection);
            if (!PeerTable::isTally($connection, $settings->table)) {
                throw new ImportException("Tally's table {$settings->table} does not exist yet (or is not Tally's): run `php artisan migrate` first");
            }
            $keys = null;
            if (!$this->option('no-keys')) {
                $store = $this->peerStore($cache);
                $keys = new KeyImport($store->connection(), $store->getPrefix() . $this->peerPrefix(), $settings->redis, $owners);
                $keys->probe();
            }
            $from = $this->fromTable($connection, $settings->table);
            if ($from !== null) {
                (new TableImport($connection, $from, $settings->table, $owners, $batch))->run($dry, $report);
            }
            $keys?->run($dry, $report);
        } catch (ImportException | InvalidArgumentException | TallyException $e) {
            $this->print($report, $dry);
            $this->error('counter:import-model-counter: ' . $e->getMessage());

            return self::FAILURE;
        } catch (\RedisException $e) {
            $this->print($report, $dry);
            $this->error("counter:import-model-counter: rejoose/model-counter's Redis (its cache store): " . $e->getMessage());

            return self::FAILURE;
        }

        return $this->print($report, $dry);
    }

    private function print(Report $report, bool $dry): int
    {
        $rows = [];
        ksort($report->moved, SORT_STRING);
        foreach ($report->moved as $type => $moved) {
            $rows[] = [$type === '' ? '(global)' : $type, $moved['rows'], $moved['keys']];
        }
        if ($rows !== []) {
            $this->table(['owner type', $dry ? 'rows to move' : 'rows moved', $dry ? 'keys to move' : 'keys moved'], $rows);
        }
        $verb = $dry ? 'Dry run: would move' : 'Moved';
        $this->info(sprintf('%s %d row(s) and %d key(s); %d left in place.', $verb, $report->total('rows'), $report->total('keys'), count($report->left)));
        foreach (array_slice($report->left, 0, self::SHOWN) as [$what, $why]) {
            $this->warn("  left: $what: $why");
        }
        if (count($report->left) > self::SHOWN) {
            $this->warn(sprintf('  ... and %d more', count($report->left) - self::SHOWN));
        }

        return $report->left === [] ? self::SUCCESS : self::FAILURE;
    }

    /** The table to import: --from-table, the migration's set-aside table, or model_counters; null: none there. */
    private function fromTable(\Illuminate\Database\ConnectionInterface $connection, string $table): ?string
    {
        $given = $this->option('from-table');
        $schema = $connection->getSchemaBuilder();
        if ($given !== null && $given !== '') {
            if (!PeerTable::is($connection, (string) $given)) {
                throw new ImportException(sprintf(
                    "--from-table %s is not rejoose/model-counter's table (%s)",
                    $given,
                    $schema->hasTable((string) $given) ? 'it has no interval column, or has Tally\'s period column' : 'it does not exist'
                ));
            }

            return (string) $given;
        }
        foreach ([$table . PeerTable::SET_ASIDE_SUFFIX, 'model_counters'] as $candidate) {
            if (PeerTable::is($connection, $candidate)) {
                return $candidate;
            }
        }
        $this->line("No rejoose/model-counter table ({$table}" . PeerTable::SET_ASIDE_SUFFIX . ' or model_counters): only pending keys are imported.');

        return null;
    }

    /** @return \Illuminate\Cache\RedisStore */
    private function peerStore(CacheFactory $cache): object
    {
        $name = $this->option('store');
        if ($name === null || $name === '') {
            $configured = (string) config('counter.store');
            $name = config("cache.stores.$configured.driver") === 'redis' ? $configured : 'redis';
        }
        if (config("cache.stores.$name.driver") !== 'redis') {
            throw new ImportException("--store '$name' is not a cache store with the redis driver (rejoose/model-counter counts through one)");
        }

        return $cache->store($name)->getStore();
    }

    private function peerPrefix(): string
    {
        $prefix = $this->option('prefix');

        return $prefix === null ? (string) config('counter.prefix', 'counter:') : (string) $prefix;
    }
}
