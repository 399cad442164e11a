<?php

// What the tally.hits middleware does when tracking fails: the page is served anyway, and
// the failure is reported to Laravel's exception handler at most once per REPORT_EVERY
// seconds per process (the first one at once), so a Redis outage is one log line a minute
// per worker, not one per request.

declare(strict_types=1);

namespace Tally\Laravel\Http;

use Closure;

final class TrackingFailures
{
    /** Seconds between two reports of failed tracking in one process. */
    public const REPORT_EVERY = 60.0;

    /** When the last report went out (process clock, seconds); null: none yet. */
    private static ?float $lastReport = null;
    /** Failures since then that were not reported. */
    private static int $quiet = 0;

    private function __construct()
    {
    }

    /**
     * Records a tracking failure at $now (seconds) and, unless one was reported less than
     * REPORT_EVERY seconds ago, hands $report a TrackingFailedException naming it and how
     * many were kept quiet. Returns whether it reported.
     *
     * @param Closure(\Throwable): void $report
     */
    public static function record(string $what, \Throwable $e, Closure $report, float $now): bool
    {
        if (self::$lastReport !== null && $now - self::$lastReport < self::REPORT_EVERY) {
            self::$quiet++;

            return false;
        }
        $quiet = self::$quiet;
        $since = self::$lastReport === null ? null : $now - self::$lastReport;
        self::$lastReport = $now;
        self::$quiet = 0;
        $report(new TrackingFailedException(sprintf(
            '%s failed; the response was sent without it%s: %s: %s',
            $what,
            $quiet === 0 ? '' : sprintf(
                ' (%d more tracking %s in the %d s since the last report went unreported)',
                $quiet,
                $quiet === 1 ? 'failure' : 'failures',
                (int) $since
            ),
            get_class($e),
            $e->getMessage()
        ), 0, $e));

        return true;
    }

    /** Forgets the last report: a new worker, or a test that starts over. */
    public static function reset(): void
    {
        self::$lastReport = null;
        self::$quiet = 0;
    }
}
