<?php

// An application with tally/laravel in a PHP without the tally extension: resolving the
// counter service (what counting, counter:sync and the migration do first) says what is
// missing and how to install it.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Composer\Autoload\ClassLoader;
use PHPUnit\Framework\TestCase as BaseTestCase;

final class MissingExtensionTest extends BaseTestCase
{
    /** Runs $code in a PHP without the tally extension, with this suite's autoloader; its output. */
    private function withoutExtension(string $code): string
    {
        $autoload = dirname((new \ReflectionClass(ClassLoader::class))->getFileName(), 2) . '/autoload.php';
        $script = tempnam(sys_get_temp_dir(), 'tally-noext');
        file_put_contents($script, "<?php\nrequire " . var_export($autoload, true) . ";\n" . $code);
        try {
            exec(escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg($script) . ' 2>&1', $out, $rc);
        } finally {
            unlink($script);
        }
        $this->assertSame(0, $rc, implode("\n", $out));

        return implode("\n", $out);
    }

    public function testCountingWithoutTheExtensionSaysHowToInstallIt(): void
    {
        exec(escapeshellarg(PHP_BINARY) . ' -r ' . escapeshellarg('echo extension_loaded("tally") ? "yes" : "no";'), $loaded);
        if ($loaded !== ['no']) {
            $this->markTestSkipped('the tally extension is loaded by this PHP\'s own ini: no PHP without it to try');
        }
        $out = $this->withoutExtension(<<<'PHP'
            $base = sys_get_temp_dir() . '/tally-noext-app';
            @mkdir($base, 0777, true);
            $app = Tally\Laravel\Tests\Fixtures\Laravel::boot($base, Tally\Laravel\Tests\Fixtures\Laravel::config('x:'));
            foreach ([Tally\Laravel\CounterManager::class, Tally\Laravel\Settings::class] as $service) {
                try {
                    $app->make($service);
                    echo "no exception\n";
                } catch (Throwable $e) {
                    echo get_class($e), ': ', $e->getMessage(), "\n";
                }
            }
            PHP);
        $sapi = 'cli';
        $ini = php_ini_loaded_file();
        $version = PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;
        $message = 'Tally\Laravel\MissingExtensionException: tally/laravel needs the tally PHP extension, which is not loaded in this PHP '
            . "($sapi SAPI, " . ($ini === false ? 'no php.ini' : "php.ini: $ini") . '). Build and enable it (the tally README, "Install"): '
            . '`phpize && ./configure --enable-tally && make && sudo make install` in the tally repository, then '
            . "`echo extension=tally.so | sudo tee /etc/php/$version/mods-available/tally.ini && sudo phpenmod tally`, "
            . 'and restart PHP-FPM, Octane and queue workers; `php --ri tally` shows it once it is loaded.';
        $this->assertSame($message . "\n" . $message, $out);
    }
}
