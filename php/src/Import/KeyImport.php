<?php

// Moves rejoose/model-counter's pending Redis keys (plain strings, INCRBY through its cache
// store) into Tally's owner hashes exactly once: ONE Lua script per key reads the string,
// HINCRBYs its value into the counter's field of the owner's hash in Tally's database and
// deletes the string, so a run killed anywhere has moved each key whole or not at all, and
// an INCRBY that lands after it makes a new key the next run moves. The two keys live in
// different Redis Cluster slots, and the script names them in ARGV: on a cluster it cannot
// be atomic, so the import refuses one. Both must be on one server (the probe checks it).
// The peer's connection may use phpredis or Predis (each with its own key prefix option).

declare(strict_types=1);

namespace Tally\Laravel\Import;

use Illuminate\Redis\Connections\Connection;

final class KeyImport
{
    /**
     * ARGV: the peer's key, Tally's database, the owner's hash, the field, the peer's
     * database, '1' for a dry run. Returns false (the key is gone), {1, value} moved (or, in
     * a dry run, would be), {0, why} left as it is.
     */
    private const MOVE = <<<'LUA'
local ok, v = pcall(redis.call, 'GET', ARGV[1])
if not ok then return {0, tostring(v.err or v)} end
if not v then return false end
if ARGV[6] == '1' then return {1, v} end
if v ~= '0' then
  redis.call('SELECT', ARGV[2])
  local r = redis.pcall('HINCRBY', ARGV[3], ARGV[4], v)
  redis.call('SELECT', ARGV[5])
  if type(r) == 'table' and r.err then return {0, r.err} end
end
redis.call('DEL', ARGV[1])
return {1, v}
LUA;

    /** ARGV: Tally's database, a key. The key's value there, or false. */
    private const PROBE = <<<'LUA'
redis.call('SELECT', ARGV[1])
local v = redis.call('GET', ARGV[2])
redis.call('SELECT', ARGV[3])
return v
LUA;

    /** The peer connection's client: phpredis's \Redis or a Predis\Client on one server. */
    private readonly object $client;
    private readonly string $wirePrefix;

    /**
     * @param Connection $redis the connection of the peer's cache store
     * @param string $keyPrefix the cache store's prefix + the peer's counter.prefix
     * @param array<string,mixed> $tally Tally\Counter's options (Settings::$redis)
     * @throws ImportException when the keys cannot be moved exactly once
     */
    public function __construct(
        private readonly Connection $redis,
        string $keyPrefix,
        private readonly array $tally,
        private readonly OwnerTypes $owners,
    ) {
        $client = $redis->client();
        $predis = $client instanceof \Predis\ClientInterface;
        if ((!$client instanceof \Redis && !$predis)
            || ($predis && $client->getConnection() instanceof \Predis\Connection\Cluster\ClusterInterface)) {
            throw new ImportException(sprintf(
                'importing pending keys needs the phpredis or Predis client on a single Redis server, not %s: a Redis '
                . "Cluster cannot move a key into another slot atomically. Run rejoose/model-counter's counter:sync "
                . 'first, then the import with --no-keys',
                $predis ? 'a Predis cluster' : get_debug_type($client)
            ));
        }
        if (isset($tally['cluster'])) {
            throw new ImportException(
                'counter.store is a Redis Cluster: a key cannot be moved into another slot atomically. Run '
                . "rejoose/model-counter's counter:sync first, then the import with --no-keys"
            );
        }
        $this->client = $client;
        $this->wirePrefix = $this->clientPrefix() . $keyPrefix;
    }

    /**
     * Checks that the peer's keys and Tally's are on one server (a key Tally writes is seen
     * through the peer's connection).
     *
     * @throws ImportException when they are not
     */
    public function probe(): void
    {
        $engine = new \Tally\Counter($this->tally + ['persistent' => true]);
        $name = 'import-probe:' . bin2hex(random_bytes(8));
        $engine->incrementKey($name, 1, 60);
        try {
            $seen = $this->eval(self::PROBE, [(string) $this->tallyDatabase(), $engine->getPrefix() . $name, (string) $this->dbNum()]);
        } finally {
            $engine->deleteKeys([$name]);
        }
        if ($seen !== '1') {
            throw new ImportException(
                "the Redis of rejoose/model-counter's cache store is not the server Tally counts on (counter.store): a key "
                . "cannot be moved between servers atomically. Run rejoose/model-counter's counter:sync first, then the "
                . 'import with --no-keys'
            );
        }
    }

    public function run(bool $dry, Report $report): void
    {
        $pattern = preg_replace('/[*?\[\]\\\\]/', '\\\\$0', $this->wirePrefix) . '*';
        $it = null;
        do {
            foreach ($this->scan($it, $pattern) as $wire) {
                $this->move((string) $wire, $dry, $report);
            }
        } while ($it !== 0 && $it !== null);
    }

    /**
     * One SCAN page of keys matching $pattern (as they are on the wire: the client prefixes
     * neither the pattern nor the keys); $it is 0 after the last page.
     *
     * @return list<string>
     */
    private function scan(int|string|null &$it, string $pattern): array
    {
        if ($this->client instanceof \Redis) {
            $keys = $this->client->scan($it, $pattern, 1000);

            return $keys === false ? [] : $keys;
        }
        [$next, $keys] = $this->client->scan($it ?? 0, ['MATCH' => $pattern, 'COUNT' => 1000]);
        $it = (int) $next;

        return $keys;
    }

    /** The prefix the client puts before every key it is given (phpredis OPT_PREFIX, Predis's 'prefix' option). */
    private function clientPrefix(): string
    {
        if ($this->client instanceof \Redis) {
            return (string) $this->client->getOption(\Redis::OPT_PREFIX);
        }
        $prefix = $this->client->getOptions()->prefix;

        return $prefix === null ? '' : (string) $prefix->getPrefix();
    }

    /** The database the peer's connection has selected. */
    private function dbNum(): int
    {
        if ($this->client instanceof \Redis) {
            return (int) $this->client->getDbNum();
        }

        return (int) ($this->client->getConnection()->getParameters()->database ?? 0);
    }

    private function move(string $wire, bool $dry, Report $report): void
    {
        $rest = substr($wire, strlen($this->wirePrefix));
        if (str_contains($rest, '{') || str_contains($rest, '}')) {
            return;   // Tally's own keys (an owner hash, a claim, the sync lock) when the prefixes coincide
        }
        $counter = PeerCounter::fromKey($rest);
        if ($counter === null) {
            $report->left("key $wire", 'not a rejoose/model-counter key (<type>:<id>:<key>[:<interval>:<period>])');

            return;
        }
        [$type, $problem] = $counter->isGlobal() ? ['', null] : $this->owners->ofSegment($counter->typeSegment);
        if ($type === null) {
            $report->left("key $wire", "owner type '$counter->typeSegment': $problem");

            return;
        }
        $id = $type === '' ? '' : $counter->id;
        $result = $this->eval(self::MOVE, [
            $wire,
            (string) $this->tallyDatabase(),
            PendingField::hash((string) $this->tally['prefix'], $type, $id),
            PendingField::field($counter->key, $counter->interval, $counter->periodStart),
            (string) $this->dbNum(),
            $dry ? '1' : '0',
        ]);
        if ($result === false || $result === null) {
            return;   // gone since SCAN saw it (Lua's false: phpredis false, Predis null): synced or moved by someone else
        }
        if ((int) $result[0] === 1) {
            $report->moved($type, 'keys');

            return;
        }
        $report->left("key $wire", 'Redis refused it: ' . $result[1]);
    }

    private function tallyDatabase(): int
    {
        return (int) ($this->tally['database'] ?? 0);
    }

    /** @param list<string> $args ARGV (no KEYS: the connection's prefix is already in them); through Laravel's connection, whose events see it */
    private function eval(string $script, array $args): mixed
    {
        if (!$this->client instanceof \Redis) {
            try {
                return $this->redis->eval($script, 0, ...$args);
            } catch (\Predis\Response\ServerException $e) {
                throw new ImportException("Redis refused the import's script: " . $e->getMessage(), 0, $e);
            }
        }
        $this->client->clearLastError();
        $result = $this->redis->eval($script, 0, ...$args);
        $error = $this->client->getLastError();
        if ($error !== null) {
            $this->client->clearLastError();
            throw new ImportException("Redis refused the import's script: $error");
        }

        return $result;
    }
}
