<?php

// Chooses where the sync and exact reads go: the extension's native SQL session for
// MySQL/MariaDB (TLS included) and file SQLite connections, Laravel's own connection for
// anything else.

declare(strict_types=1);

namespace Tally\Laravel\Sync;

use Closure;
use Illuminate\Database\ConnectionInterface;
use Illuminate\Database\ConnectionResolverInterface;
use Illuminate\Database\DatabaseTransactionsManager;
use Tally\Database;
use Tally\Laravel\Settings;
use Tally\Sink;

final class SinkFactory
{
    /** The native session, opened once (the extension reopens it after fork()). */
    private ?Database $native = null;

    public function __construct(
        private readonly ConnectionResolverInterface $db,
        private readonly Settings $settings,
        /** @var (Closure(): ?DatabaseTransactionsManager)|null the container's current 'db.transactions' */
        private readonly ?Closure $transactions = null,
    ) {
    }

    /**
     * The Laravel connection is looked up on every call, never kept: after DB::purge() (tenancy
     * packages, long-running workers) Laravel hands out a new connection object, and the sink
     * must write through that one, inside its transactions, with its config.
     */
    public function make(): Database|Sink
    {
        if ($this->native !== null) {
            return $this->native;
        }
        $connection = $this->db->connection($this->settings->connection);
        if ($this->settings->sink === 'auto') {
            $options = $this->nativeOptions($connection, $connection->getTablePrefix() . $this->settings->table);
            if ($options !== null) {
                return $this->native = new Database($options + ['persistent' => true]);
            }
        }

        return new ConnectionSink($connection, $this->settings->table, $this->testTransactions($connection));
    }

    /**
     * How many of the connection's open transactions a test opened around itself: Laravel's
     * testing transaction manager (RefreshDatabase, DatabaseTransactions) leaves them out of
     * callbackApplicableTransactions(). Only counted while counters use the testing prefix:
     * otherwise a sync there would move the developer's real counters into a transaction
     * that is rolled back.
     */
    private function testTransactions(ConnectionInterface $connection): int
    {
        $manager = $this->settings->isolated && $this->transactions !== null ? ($this->transactions)() : null;
        if (!$manager instanceof DatabaseTransactionsManager) {
            return 0;
        }
        $name = $connection->getName();
        $mine = static fn ($records): int => $records->where('connection', $name)->count();

        return $mine($manager->getPendingTransactions()) - $mine($manager->callbackApplicableTransactions());
    }

    /** @return array<string,mixed>|null null when the extension cannot reach this connection itself */
    private function nativeOptions(ConnectionInterface $connection, string $table): ?array
    {
        $config = $connection->getConfig();
        $driver = $connection->getDriverName();
        if ($driver === 'sqlite') {
            $path = (string) ($config['database'] ?? '');
            if ($path === '' || $path === ':memory:' || str_contains($path, 'mode=memory') || str_starts_with($path, 'file:')) {
                return null;
            }

            return ['driver' => 'sqlite', 'path' => $path, 'table' => $table];
        }
        if ($driver !== 'mysql' && $driver !== 'mariadb') {
            return null;
        }
        $tls = self::tlsOptions($config);
        if ($tls === null) {
            return null;
        }
        $host = $config['write']['host'] ?? $config['host'] ?? '127.0.0.1';
        $options = [
            'driver' => $driver,
            'host' => (string) (is_array($host) ? reset($host) : $host),
            'port' => (int) ($config['port'] ?? 3306),
            'database' => (string) ($config['database'] ?? ''),
            'table' => $table,
        ];
        foreach (['username', 'password'] as $field) {
            if (($config[$field] ?? '') !== '' && $config[$field] !== null) {
                $options[$field] = (string) $config[$field];
            }
        }
        if (($config['unix_socket'] ?? '') !== '') {
            $options['socket'] = (string) $config['unix_socket'];
        }

        return $options + $tls;
    }

    /**
     * Tally\Database TLS options from PDO's MySQL SSL options ([] without any), or null
     * when one of them has no native equivalent (a CA directory, a cipher list): then
     * Laravel's PDO, which honours them, writes instead.
     *
     * @param array<string,mixed> $config
     * @return array<string,mixed>|null
     */
    private static function tlsOptions(array $config): ?array
    {
        $map = ['CA' => 'tls_ca_file', 'CERT' => 'tls_cert_file', 'KEY' => 'tls_key_file', 'CAPATH' => null, 'CIPHER' => null];
        $tls = [];
        foreach ((array) ($config['options'] ?? []) as $option => $value) {
            foreach ($map as $name => $to) {
                if (defined("PDO::MYSQL_ATTR_SSL_$name") && $option === constant("PDO::MYSQL_ATTR_SSL_$name")
                    && $value !== null && $value !== '') {
                    if ($to === null) {
                        return null;
                    }
                    $tls[$to] = (string) $value;
                }
            }
        }
        if ($tls === []) {
            return [];
        }
        $verify = defined('PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT')
            ? ($config['options'][\PDO::MYSQL_ATTR_SSL_VERIFY_SERVER_CERT] ?? true) : true;

        return ['tls' => true] + $tls + ['tls_verify' => (bool) $verify];
    }
}
