--TEST--
The schema has the period columns (period '' and period_start '1970-01-01' for lifetime counters) in its unique key on every dialect, upgradeSchema() gives the in-place upgrade of an earlier release's table, a native sync writes both columns, and a Tally\Sink gets them in every row as 'period' and 'period_start' next to the five positional values
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
sqlite3
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
foreach (['mysql', 'sqlite', 'pgsql'] as $driver) {
    echo "-- $driver\n", implode("\n", Tally\Database::schema($driver, 'mc')), "\n";
    echo implode("\n", Tally\Database::upgradeSchema($driver, 'mc')), "\n";
}
try {
    Tally\Database::upgradeSchema('oracle');
} catch (Tally\InvalidArgumentException $e) {
    echo get_class($e), ': ', $e->getMessage(), "\n";
}

echo "-- native sync\n";
$c = new Tally\Counter(tally_opts());
$c->forget('T', 1);
$db = tally_db('sqlite', 'mc_341');
$c->increment('T', 1, 'n', 3);
echo tally_report($c->sync($db, ['pattern' => 'T'])), "\n";
echo implode("\n", array_map(fn ($r) => implode('|', $r), tally_sql('sqlite', 'mc_341',
    'SELECT owner_type, owner_id, key, period, period_start, typeof(period_start), count FROM mc_341'))), "\n";

echo "-- PHP sink\n";
class RowSink implements Tally\Sink
{
    public array $rows = [];
    public function beginRun(string $name): int { return 1; }
    public function writeBatch(string $name, int $fence, array $rows): void { array_push($this->rows, ...$rows); }
    public function read(string $ownerType, string $ownerId, ?array $keys, string $period = '', string $from = '1970-01-01', string $to = '1970-01-01'): array { return []; }
    public function committed(string $ownerType, string $ownerId, int $seq): bool { return false; }
}
$sink = new RowSink();
$c->increment('T', 1, 'n', 4);
echo tally_report($c->sync($sink, ['pattern' => 'T'])), "\n";
var_dump($sink->rows[0][3], $sink->rows[0]['period'], $sink->rows[0]['period_start'], count($sink->rows[0]));
[$type, $id, $key, $delta] = $sink->rows[0];
echo "$type $id $key $delta\n";
$c->forget('T', 1);
$db = null;
tally_db_drop('sqlite', 'mc_341');
?>
--EXPECT--
-- mysql
CREATE TABLE IF NOT EXISTS `mc` ( `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, `owner_type` VARBINARY(255) NOT NULL, `owner_id` VARBINARY(255) NOT NULL, `key` VARBINARY(100) NOT NULL, `period` VARCHAR(7) NOT NULL DEFAULT '', `period_start` DATE NOT NULL DEFAULT '1970-01-01', `count` BIGINT NOT NULL DEFAULT 0, `sync_seq` BIGINT NOT NULL DEFAULT 0, `created_at` TIMESTAMP NULL DEFAULT NULL, `updated_at` TIMESTAMP NULL DEFAULT NULL, UNIQUE KEY `mc_counter_unique` (`owner_type`, `owner_id`, `key`, `period`, `period_start`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
CREATE TABLE IF NOT EXISTS `mc_sync` ( `name` VARBINARY(255) NOT NULL PRIMARY KEY, `fence` BIGINT NOT NULL DEFAULT 0, `updated_at` TIMESTAMP NULL DEFAULT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4
ALTER TABLE `mc` ADD COLUMN `period` VARCHAR(7) NOT NULL DEFAULT '' AFTER `key`, ADD COLUMN `period_start` DATE NOT NULL DEFAULT '1970-01-01' AFTER `period`, DROP INDEX `mc_counter_unique`, ADD UNIQUE KEY `mc_counter_unique` (`owner_type`, `owner_id`, `key`, `period`, `period_start`)
-- sqlite
CREATE TABLE IF NOT EXISTS "mc" ( "id" INTEGER PRIMARY KEY AUTOINCREMENT, "owner_type" VARCHAR(255) NOT NULL, "owner_id" VARCHAR(255) NOT NULL, "key" VARCHAR(100) NOT NULL, "period" VARCHAR(7) NOT NULL DEFAULT '', "period_start" DATE NOT NULL DEFAULT '1970-01-01', "count" INTEGER NOT NULL DEFAULT 0 CHECK (typeof("count") = 'integer'), "sync_seq" INTEGER NOT NULL DEFAULT 0, "created_at" DATETIME NULL, "updated_at" DATETIME NULL, CONSTRAINT "mc_counter_unique" UNIQUE ("owner_type", "owner_id", "key", "period", "period_start"))
CREATE TABLE IF NOT EXISTS "mc_sync" ( "name" VARCHAR(255) NOT NULL PRIMARY KEY, "fence" INTEGER NOT NULL DEFAULT 0, "updated_at" DATETIME NULL)
CREATE TABLE IF NOT EXISTS "mc__tally_upgrade" ( "id" INTEGER PRIMARY KEY AUTOINCREMENT, "owner_type" VARCHAR(255) NOT NULL, "owner_id" VARCHAR(255) NOT NULL, "key" VARCHAR(100) NOT NULL, "period" VARCHAR(7) NOT NULL DEFAULT '', "period_start" DATE NOT NULL DEFAULT '1970-01-01', "count" INTEGER NOT NULL DEFAULT 0 CHECK (typeof("count") = 'integer'), "sync_seq" INTEGER NOT NULL DEFAULT 0, "created_at" DATETIME NULL, "updated_at" DATETIME NULL, CONSTRAINT "mc_counter_unique" UNIQUE ("owner_type", "owner_id", "key", "period", "period_start"))
INSERT INTO "mc__tally_upgrade" ("id", "owner_type", "owner_id", "key", "count", "sync_seq", "created_at", "updated_at") SELECT "id", "owner_type", "owner_id", "key", "count", "sync_seq", "created_at", "updated_at" FROM "mc"
DROP TABLE "mc"
ALTER TABLE "mc__tally_upgrade" RENAME TO "mc"
-- pgsql
CREATE TABLE IF NOT EXISTS "mc" ( "id" BIGSERIAL PRIMARY KEY, "owner_type" VARCHAR(255) NOT NULL, "owner_id" VARCHAR(255) NOT NULL, "key" VARCHAR(100) NOT NULL, "period" VARCHAR(7) NOT NULL DEFAULT '', "period_start" DATE NOT NULL DEFAULT '1970-01-01', "count" BIGINT NOT NULL DEFAULT 0, "sync_seq" BIGINT NOT NULL DEFAULT 0, "created_at" TIMESTAMP(0) NULL, "updated_at" TIMESTAMP(0) NULL, CONSTRAINT "mc_counter_unique" UNIQUE ("owner_type", "owner_id", "key", "period", "period_start"))
CREATE TABLE IF NOT EXISTS "mc_sync" ( "name" VARCHAR(255) NOT NULL PRIMARY KEY, "fence" BIGINT NOT NULL DEFAULT 0, "updated_at" TIMESTAMP(0) NULL)
ALTER TABLE "mc" ADD COLUMN "period" VARCHAR(7) NOT NULL DEFAULT '', ADD COLUMN "period_start" DATE NOT NULL DEFAULT '1970-01-01', DROP CONSTRAINT "mc_counter_unique", ADD CONSTRAINT "mc_counter_unique" UNIQUE ("owner_type", "owner_id", "key", "period", "period_start")
Tally\InvalidArgumentException: driver must be 'mysql', 'mariadb', 'sqlite' or 'pgsql', 'oracle' given
-- native sync
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
T|1|n||1970-01-01|text|3
-- PHP sink
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
int(4)
string(0) ""
string(10) "1970-01-01"
int(7)
T 1 n 4
