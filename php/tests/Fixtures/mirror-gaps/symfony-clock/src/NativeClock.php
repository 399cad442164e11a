<?php

// The system clock, as Carbon 3 uses it for sleep().

declare(strict_types=1);

namespace Symfony\Component\Clock;

final class NativeClock implements ClockInterface
{
    private \DateTimeZone $timezone;

    public function __construct(\DateTimeZone|string|null $timezone = null)
    {
        $this->timezone = \is_string($timezone) ? new \DateTimeZone($timezone)
            : ($timezone ?? new \DateTimeZone(date_default_timezone_get()));
    }

    public function now(): \DateTimeImmutable
    {
        return new \DateTimeImmutable('now', $this->timezone);
    }

    public function sleep(float|int $seconds): void
    {
        if (0 < $s = (int) $seconds) {
            sleep($s);
        }
        if (0 < $us = $seconds - $s) {
            usleep((int) ($us * 1E6));
        }
    }

    public function withTimeZone(\DateTimeZone|string $timezone): static
    {
        return new static($timezone);
    }
}
