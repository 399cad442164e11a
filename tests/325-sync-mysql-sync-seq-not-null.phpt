--TEST--
MySQL: a sync_seq column altered to allow NULL (which would void the fence check inside the upsert) makes a run refuse to start with an error that says how to fix it; nothing is claimed or lost, and once the column is NOT NULL again the run syncs everything
--SKIPIF--
<?php $needs = ['redis', 'mysql']; require __DIR__ . '/inc/skipif.inc'; ?>
--EXTENSIONS--
mysqlnd
mysqli
--FILE--
<?php
require __DIR__ . '/inc/helpers.inc';
$c = new Tally\Counter(tally_opts());
$c->forget('T', 1);
$db = tally_db('mysql', 'mc_325');
$c->increment('T', 1, 'n', 5);
tally_sql('mysql', 'mc_325', 'ALTER TABLE `mc_325` MODIFY `sync_seq` BIGINT NULL');
$r = $c->sync($db, ['pattern' => 'T']);
echo preg_replace('/MySQL \S+:/', 'MySQL HOST:', tally_report($r)), "\n";
echo "pending: ", $c->pending('T', 1, 'n'), ", read: ", $c->get($db, 'T', 1, 'n'), "\n";
tally_sql('mysql', 'mc_325', 'ALTER TABLE `mc_325` MODIFY `sync_seq` BIGINT NOT NULL DEFAULT 0');
echo tally_report($c->sync($db, ['pattern' => 'T'])), "\n";
echo "pending: ", $c->pending('T', 1, 'n'), ", read: ", $c->get($db, 'T', 1, 'n'), "\n";
echo implode(', ', tally_sql_rows('mysql', 'mc_325')), "\n";
$c->forget('T', 1);
$db = null;
tally_db_drop('mysql', 'mc_325');
?>
--EXPECT--
synced=0 owners=0 batches=0 skipped=0 recovered=0 locked=false incomplete=false errors=[MySQL HOST: `mc_325`.`sync_seq` allows NULL: the sync needs it NOT NULL, as Tally\Database::schema() creates it (ALTER TABLE `mc_325` MODIFY `sync_seq` BIGINT NOT NULL DEFAULT 0)]
pending: 5, read: 5
synced=1 owners=1 batches=1 skipped=0 recovered=0 locked=false incomplete=false errors=[]
pending: 0, read: 5
T|1|n = 5
