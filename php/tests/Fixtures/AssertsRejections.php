<?php

// One assertion for tables of bad input: each call throws Tally\InvalidArgumentException
// with the expected words in its message.

declare(strict_types=1);

namespace Tally\Laravel\Tests\Fixtures;

use Tally\InvalidArgumentException;

trait AssertsRejections
{
    /** @param array<string, array{callable, string}> $cases name => [call, words of the message] */
    protected function assertEachRejected(array $cases): void
    {
        foreach ($cases as $case => [$call, $message]) {
            try {
                $call();
                $this->fail("$case was accepted");
            } catch (InvalidArgumentException $e) {
                $this->assertStringContainsString($message, $e->getMessage(), $case);
            }
        }
    }
}
