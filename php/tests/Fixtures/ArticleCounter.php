<?php

// Counter keys as a backed enum, as rejoose/model-counter allows.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

enum ArticleCounter: string
{
    case Views = 'views';
    case Followers = 'followers';
}
