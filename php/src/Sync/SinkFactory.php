<?php

// Chooses where the sync and exact reads go: the extension's native SQL session for
// MySQL/MariaDB and file SQLite connections, Laravel's own connection for anything else.

declare(strict_types=1);

namespace Tally\Laravel\Sync;

use Illuminate\Database\ConnectionInterface;
use Illuminate\Database\ConnectionResolverInterface;
use Tally\Database;
use Tally\Laravel\Settings;
use Tally\Sink;

final class SinkFactory
{
    public function __construct(
        private readonly ConnectionResolverInterface $db,
        private readonly Settings $settings,
    ) {
    }

    public function make(): Database|Sink
    {
        $connection = $this->db->connection($this->settings->connection);
        $table = $connection->getTablePrefix() . $this->settings->table;
        if ($this->settings->sink === 'auto') {
            $options = $this->nativeOptions($connection, $table);
            if ($options !== null) {
                return new Database($options);
            }
        }

        return new ConnectionSink($connection, $this->settings->table);
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

        return $options;
    }
}
