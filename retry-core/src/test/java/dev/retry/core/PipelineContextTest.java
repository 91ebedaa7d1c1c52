package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A pipeline with neither a retry nor a hedge still makes its call an attempt of its own, as every
 * single policy does: the call sees attempt 1 and a key in its {@link RetryContext}, and the thread
 * has no context again once the call is over.
 */
class PipelineContextTest {

    private final VirtualClock time = new VirtualClock();

    private Pipeline guardedOnly() {
        return Pipeline.builder()
                .circuitBreaker(CircuitBreakerPolicy.builder().ticker(time).build())
                .build();
    }

    private static String contextSeen() {
        RetryContext context = RetryContext.current();
        return "attempt " + context.attempt() + (context.idempotencyKey().isEmpty() ? "" : " with a key");
    }

    @Test
    void aCallThroughAPipelineWithoutARetryIsItsOwnFirstAttempt() {
        assertThat(guardedOnly().call(PipelineContextTest::contextSeen)).isEqualTo("attempt 1 with a key");
        assertThat(RetryContext.isActive()).as("after the call").isFalse();
    }

    @Test
    void anAsynchronousCallThroughAPipelineWithoutARetryIsItsOwnFirstAttemptToo() {
        CompletableFuture<String> seen =
                guardedOnly().callAsync(() -> CompletableFuture.completedFuture(contextSeen()));

        assertThat(seen).isCompletedWithValue("attempt 1 with a key");
        assertThat(RetryContext.isActive()).as("after the call").isFalse();
    }
}
