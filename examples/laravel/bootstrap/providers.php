<?php

// The application's service providers. In an app that requires tally/laravel through
// composer, package discovery registers TallyServiceProvider; this app runs on the package's
// own repository, where discovery does not see the package, so it is listed here.

return [
    App\Providers\AppServiceProvider::class,
    Tally\Laravel\TallyServiceProvider::class,
];
