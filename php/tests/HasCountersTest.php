<?php

// Tally\Laravel\Traits\HasCounters: every method, and owners with a morph alias, UUID and ULID keys.

declare(strict_types=1);

namespace Tally\Laravel\Tests;

use Illuminate\Database\Eloquent\Relations\Relation;
use Tally\Laravel\Models\ModelCounter;
use Tally\Laravel\Tests\Fixtures\Document;
use Tally\Laravel\Tests\Fixtures\Upload;
use Tally\Laravel\Tests\Fixtures\User;

final class HasCountersTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->migrateWithOwners();
    }

    public function testEveryTraitMethod(): void
    {
        $user = User::create();
        $user->incrementCounter('downloads');
        $user->incrementCounter('views', 5);
        $user->decrementCounter('credits', 10);
        $user->decrementCounter('views');

        $this->assertSame(1, $user->counter('downloads'));
        $this->assertSame(['views' => 4, 'credits' => -10, 'likes' => 0], $user->counters(['views', 'credits', 'likes']));
        $this->assertSame(['credits' => -10, 'downloads' => 1, 'views' => 4], $user->allCounters());

        $user->setCounter('downloads', 1000);
        $user->resetCounter('views');
        $this->assertSame(['credits' => -10, 'downloads' => 1000, 'views' => 0], $user->allCounters());
    }

    public function testOwnersAreSeparate(): void
    {
        $a = User::create();
        $b = User::create();
        $a->incrementCounter('downloads', 2);
        $b->incrementCounter('downloads', 3);
        $this->assertSame([2, 3], [$a->counter('downloads'), $b->counter('downloads')]);
    }

    public function testMorphMapAliasIsTheOwnerType(): void
    {
        Relation::enforceMorphMap(['user' => User::class]);
        $user = User::create();
        $user->incrementCounter('downloads', 4);
        $this->assertSame(['counter:testing:{user:' . $user->id . '}'], $this->redisKeys());

        [$code] = $this->artisan('counter:sync');
        $this->assertSame(0, $code);
        $row = ModelCounter::query()->sole();
        $this->assertSame(['user', (string) $user->id, 'downloads', 4], [$row->owner_type, (string) $row->owner_id, $row->key, $row->count]);
        $this->assertTrue($row->owner->is($user));
        $this->assertSame(4, $user->counter('downloads'));
    }

    public function testClassNameIsTheOwnerTypeWithoutAMorphMap(): void
    {
        $user = User::create();
        $user->incrementCounter('downloads');
        $this->assertSame(['counter:testing:{' . str_replace('\\', '%5C', User::class) . ':' . $user->id . '}'], $this->redisKeys());
        $this->artisan('counter:sync');
        $this->assertSame(User::class, ModelCounter::query()->sole()->owner_type);
    }

    public function testUuidOwner(): void
    {
        $doc = Document::create();
        $other = Document::create();
        $this->assertMatchesRegularExpression('/^[0-9a-f-]{36}$/', $doc->id);
        $doc->incrementCounter('views', 3);
        $other->incrementCounter('views', 1);
        $this->artisan('counter:sync');
        $doc->incrementCounter('views', 2);

        $this->assertSame(5, $doc->counter('views'));
        $this->assertSame(1, $other->counter('views'));
        $row = ModelCounter::query()->where('owner_id', $doc->id)->sole();
        $this->assertSame(3, $row->count);
        $this->assertTrue($row->owner->is($doc));
        $this->assertSame(['views' => 3], $doc->modelCounters()->pluck('count', 'key')->all());
    }

    public function testUlidOwner(): void
    {
        $upload = Upload::create();
        $this->assertSame(26, strlen($upload->id));
        $upload->incrementCounter('bytes', 4096);
        $this->artisan('counter:sync');
        $upload->decrementCounter('bytes', 96);

        $this->assertSame(4000, $upload->counter('bytes'));
        $this->assertSame(['bytes' => 4000], $upload->allCounters());
        $this->assertTrue(ModelCounter::query()->sole()->owner->is($upload));
    }

    public function testModelCountersRelationOnIntegerKeys(): void
    {
        $user = User::create();
        $user->incrementCounter('a', 1);
        $user->incrementCounter('b', 2);
        User::create()->incrementCounter('a', 9);
        $this->artisan('counter:sync');

        $this->assertSame(['a' => 1, 'b' => 2], $user->modelCounters()->orderBy('key')->pluck('count', 'key')->all());
    }
}
