<?php

// The schedule of a production app: counter:sync every minute (cron runs schedule:run).
// The demo runs counter:sync itself, once, after its workers.

use Illuminate\Support\Facades\Schedule;

Schedule::command('counter:sync')->everyMinute()->withoutOverlapping();
