<?php

// rejoose/model-counter's storage as its 2.4.2-2.5 releases leave it, for the import tests:
// the table its migrations end with (2024_01_01 create, then interval, count index,
// unique_hash, owner+period index, nullable owner, signed count), rows as its upserts write
// them (unique_hash = sha1 of owner_type|owner_id|key|interval|period_start), and pending
// keys as its Counter::redisKey() names them, INCRBY through the cache store.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

use Illuminate\Database\ConnectionInterface;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Facades\Cache;

final class PeerSchema
{
    public static function create(ConnectionInterface $connection, string $table): void
    {
        $connection->getSchemaBuilder()->create($table, function (Blueprint $t): void {
            $t->id();
            $t->string('owner_type')->nullable();
            $t->unsignedBigInteger('owner_id')->nullable();
            $t->string('key', 100);
            $t->string('interval', 20)->nullable();
            $t->date('period_start')->nullable();
            $t->bigInteger('count')->default(0);
            $t->char('unique_hash', 40);
            $t->timestamps();
            $t->index(['owner_type', 'owner_id'], 'model_counters_owner_index');
            $t->index(['key', 'interval', 'period_start'], 'model_counters_period_index');
            $t->index(['key', 'count'], 'model_counters_key_count_index');
            $t->unique('unique_hash', 'model_counters_unique_hash');
            $t->index(['owner_type', 'owner_id', 'key', 'interval', 'period_start'], 'mc_owner_key_interval_period_idx');
        });
    }

    /** One row: owner null is a global counter; interval null the lifetime counter. */
    public static function row(ConnectionInterface $connection, string $table, ?string $ownerType, ?int $ownerId, string $key, int $count, ?string $interval = null, ?string $periodStart = null): void
    {
        $now = date('Y-m-d H:i:s');
        $connection->table($table)->insert([
            'owner_type' => $ownerType,
            'owner_id' => $ownerId,
            'key' => $key,
            'interval' => $interval,
            'period_start' => $periodStart,
            'count' => $count,
            'unique_hash' => sha1(implode('|', [$ownerType ?? '', (string) ($ownerId ?? ''), $key, $interval ?? '', $periodStart ?? ''])),
            'created_at' => $now,
            'updated_at' => $now,
        ]);
    }

    /**
     * INCRBY of a pending key as the peer names it: counter.prefix + the morph class
     * lowercased with '\' as '.' (or 'global' and id 0) + id + key [+ interval + period key].
     */
    public static function pending(?string $morphClass, int|string|null $id, string $key, int $amount, ?string $interval = null, ?string $periodKey = null, string $prefix = 'counter:'): void
    {
        $type = $morphClass === null ? 'global' : strtolower(str_replace('\\', '.', $morphClass));
        $name = $prefix . $type . ':' . ($morphClass === null ? '0' : $id) . ':' . $key;
        if ($interval !== null) {
            $name .= ':' . $interval . ':' . $periodKey;
        }
        Cache::store('redis')->increment($name, $amount);
    }
}
