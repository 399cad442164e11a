<?php

// Thrown when tally/laravel is used in a PHP without the tally extension: names what is
// missing and how to install it, instead of a bare `Class "Tally\Counter" not found`.

declare(strict_types=1);

namespace Tally\Laravel;

// Not a Tally\Exception: that class is the extension's, and the extension is what is missing.
final class MissingExtensionException extends \RuntimeException
{
    public static function forSapi(string $sapi, string $ini): self
    {
        return new self(sprintf(
            'tally/laravel needs the tally PHP extension, which is not loaded in this PHP (%s SAPI, %s). '
            . 'Build and enable it (the tally README, "Install"): `phpize && ./configure --enable-tally && make && sudo make install` '
            . 'in the tally repository, then `echo extension=tally.so | sudo tee /etc/php/%s/mods-available/tally.ini && sudo phpenmod tally`, '
            . 'and restart PHP-FPM, Octane and queue workers; `php --ri tally` shows it once it is loaded.',
            $sapi,
            $ini === '' ? 'no php.ini' : "php.ini: $ini",
            PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION
        ));
    }
}
