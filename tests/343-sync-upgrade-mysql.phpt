--TEST--
MariaDB: a counters table of the release before periods (its DDL kept as a fixture), with rows and with counts pending in Redis, is refused by sync() with a message naming the upgrade step (nothing claimed, nothing written); createTables() alters it in place (one ALTER TABLE) with the period columns and the new unique key, keeping every row, id, sync_seq and fence; the next sync writes every count exactly; createTables() again changes nothing
--SKIPIF--
<?php $needs = ['redis', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
require __DIR__ . '/inc/old_schema.inc';
tally_upgrade_scenario('mysql', 'mc_343');
?>
--EXPECT--
-- old shape
columns: id owner_type owner_id key count sync_seq created_at updated_at
unique: owner_type owner_id key
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[MySQL WHERE: the counters table mc_343 has the shape of an earlier Tally release (no period columns); upgrade it with `php artisan migrate` (Laravel) or Tally\Database::createTables(): nothing was synced, pending counts stay in Redis]
pending: a=5 c=2
T|1|a = 10, T|2|b = 20
-- createTables()
columns: id owner_type owner_id key period period_start count sync_seq created_at updated_at
unique: owner_type owner_id key period period_start
#1 T|1|a period='' start=1970-01-01 count=10 seq=7
#2 T|2|b period='' start=1970-01-01 count=20 seq=9
fences: elsewhere=4
-- sync
synced=2 owners=2 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
pending: a=0 c=0
read: a=15 b=20 c=2
#1 T|1|a period='' start=1970-01-01 count=15 seq=NEW
#2 T|2|b period='' start=1970-01-01 count=20 seq=9
#NEW T|3|c period='' start=1970-01-01 count=2 seq=NEW
-- createTables() again
unchanged
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[]
