<?php

// php artisan counter:recount {model} — recounts a model's declared counters from their
// sources (Recounter::all()) for every model, or the --id ones, chunked by key.

declare(strict_types=1);

namespace Tally\Laravel\Console;

use Illuminate\Console\Command;
use Illuminate\Database\Eloquent\Model;
use Illuminate\Database\Eloquent\Relations\Relation;
use Illuminate\Support\Collection;
use Tally\InvalidArgumentException;
use Tally\Laravel\Contracts\DefinesCounters;
use Tally\Laravel\Recounter;

final class RecountCounters extends Command
{
    /** @var string */
    protected $signature = 'counter:recount
        {model : Model class (FQCN) or morph alias implementing DefinesCounters}
        {--id=* : Only the models with these keys (repeatable)}
        {--from= : First day whose periods are recounted (Y-m-d; default: --to)}
        {--to= : Last day whose periods are recounted (Y-m-d; default: today in counter.timezone)}
        {--chunk=500 : Models read per query}';

    /** @var string */
    protected $description = 'Recount a model\'s declared counters from their recountUsing() sources';

    /** @var string */
    protected $help = 'For each model: every counter declared with recountUsing() and verify mode Equal is set to its'
        . ' source\'s count (the lifetime counter, and each declared period from --from to --to); AtLeast counters'
        . ' are skipped. Increments made while it runs are kept (see php/README.md, "Recount and verify").'
        . ' Exit code 0 when done, 1 on a bad argument or option (nothing written) or when a model\'s recount'
        . ' fails (the run stops there; the models before it are recounted, that model\'s counters are not).';

    public function handle(Recounter $recounter): int
    {
        $class = $this->modelClass((string) $this->argument('model'));
        if ($class === null) {
            return self::FAILURE;
        }
        $chunk = filter_var($this->option('chunk'), FILTER_VALIDATE_INT);
        if ($chunk === false || $chunk < 1) {
            $this->error(sprintf("--chunk must be a positive whole number, got '%s'", $this->option('chunk')));

            return self::FAILURE;
        }
        try {
            [$from, $to] = Recounter::range($this->option('from'), $this->option('to'), ['--from', '--to']);
            $sources = $recounter->sources(new $class());
        } catch (InvalidArgumentException $e) {
            $this->error($e->getMessage());

            return self::FAILURE;
        }
        $recountable = array_keys(array_filter($sources, static fn ($definition): bool => $definition->isRecountable()));
        if ($recountable === []) {
            $this->error("$class declares no counter to recount: none has recountUsing() with verify mode Equal");

            return self::FAILURE;
        }

        $query = $class::query();
        $ids = (array) $this->option('id');
        if ($ids !== []) {
            $query->whereKey($ids);
        }
        $bar = $this->output->isDecorated() ? $this->output->createProgressBar((clone $query)->count()) : null;
        $bar?->start();
        $done = 0;
        $periods = array_fill_keys($recountable, 0);
        $skipped = [];
        $failed = null;
        $query->chunkById($chunk, function (Collection $models) use ($recounter, $from, $to, $bar, &$done, &$periods, &$skipped, &$failed): bool {
            foreach ($models as $model) {
                try {
                    $results = $recounter->all($model, $from, $to);
                } catch (\Throwable $e) {
                    $failed = [$model, $e];

                    return false;
                }
                foreach ($results as $key => $result) {
                    if (is_array($result) && isset($result['skipped'])) {
                        $skipped[$key] = $result['reason'];
                    } elseif (is_array($result)) {
                        $periods[$key] += array_sum(array_map('count', $result['periods']));
                    }
                }
                $done++;
                $bar?->advance();
            }

            return true;
        });
        $bar?->finish();
        $bar?->clear();

        $rows = [];
        foreach ($periods as $key => $n) {
            $rows[] = [$key, $done, $n];
        }
        foreach ($skipped as $key => $reason) {
            $rows[] = [$key, "skipped: $reason", ''];
        }
        $this->table(['counter', 'models recounted', 'periods recounted'], $rows);
        if ($failed !== null) {
            [$model, $e] = $failed;
            $this->error(sprintf(
                'counter:recount stopped at %s #%s (its counters are unchanged; %d model(s) before it were recounted): %s',
                $class,
                (string) $model->getKey(),
                $done,
                $e->getMessage()
            ));

            return self::FAILURE;
        }
        $this->info("Recounted $done $class model(s).");

        return self::SUCCESS;
    }

    /**
     * The model class the argument names (a morph alias first, then a class name), or null
     * after an error message.
     *
     * @return class-string<Model>|null
     */
    private function modelClass(string $name): ?string
    {
        $class = Relation::getMorphedModel($name) ?? $name;
        if (!class_exists($class)) {
            $this->error("counter:recount: '$name' is neither a morph alias nor a model class");

            return null;
        }
        if (!is_subclass_of($class, Model::class)) {
            $this->error("counter:recount: $class is not an Eloquent model");

            return null;
        }
        if (!is_subclass_of($class, DefinesCounters::class)) {
            $this->error("counter:recount: $class does not implement " . DefinesCounters::class . ': it declares no counters to recount');

            return null;
        }

        return $class;
    }
}
