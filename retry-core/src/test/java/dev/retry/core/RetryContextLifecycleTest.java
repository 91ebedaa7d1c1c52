package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A pipeline without a retry or a hedge makes its call one attempt of its own. On a pooled thread the
 * context must end with the call: a later, unrelated call on that thread must not find itself inside
 * an old one, nor reuse its idempotency key.
 */
class RetryContextLifecycleTest {

    private final VirtualClock time = new VirtualClock();

    private Pipeline breakerOnly() {
        return Pipeline.builder()
                .circuitBreaker(CircuitBreakerPolicy.builder()
                        .name("inventory")
                        .ticker(time)
                        .build())
                .build();
    }

    @Test
    void aCallGuardedOnlyByABreakerIsAttemptOneAndLeavesNoContextBehindOnItsThread() throws Exception {
        Pipeline pipeline = breakerOnly();
        String key = pipeline.call(() -> {
            assertThat(RetryContext.current().attempt()).isEqualTo(1);
            return RetryContext.current().idempotencyKey();
        });
        assertThat(RetryContext.isActive()).as("after a successful call").isFalse();
        assertThatThrownBy(RetryContext::current).isInstanceOf(IllegalStateException.class);

        assertThatThrownBy(() -> pipeline.call(() -> {
                    throw new IOException("down");
                }))
                .isInstanceOf(IOException.class);
        assertThat(RetryContext.isActive()).as("after a failed call").isFalse();

        String nextKey = pipeline.call(() -> RetryContext.current().idempotencyKey());
        assertThat(nextKey).as("the next call is a logical call of its own").isNotEqualTo(key);
    }

    @Test
    void anAsynchronousCallGuardedOnlyByABreakerLeavesNoContextBehindEither() throws Exception {
        Pipeline pipeline = breakerOnly();
        CompletableFuture<String> key = pipeline.callAsync(
                () -> CompletableFuture.completedFuture(RetryContext.current().idempotencyKey()));
        assertThat(RetryContext.isActive()).isFalse();
        CompletableFuture<String> next = pipeline.callAsync(
                () -> CompletableFuture.completedFuture(RetryContext.current().idempotencyKey()));
        assertThat(next.get()).isNotEqualTo(key.get());
    }

    /** An empty pipeline (policies chosen by configuration, none configured) still makes a call of its own. */
    @Test
    void anAsynchronousCallThroughAnEmptyPipelineLeavesNoContextBehind() throws Exception {
        Pipeline empty = Pipeline.builder().build();
        CompletableFuture<String> key = empty.callAsync(() -> {
            assertThat(RetryContext.current().attempt()).isEqualTo(1);
            return CompletableFuture.completedFuture(RetryContext.current().idempotencyKey());
        });
        assertThat(RetryContext.isActive()).as("after the call").isFalse();
        CompletableFuture<String> next = empty.callAsync(
                () -> CompletableFuture.completedFuture(RetryContext.current().idempotencyKey()));
        assertThat(next.get()).as("the next call is a logical call of its own").isNotEqualTo(key.get());
        assertThat(RetryContext.isActive()).isFalse();
    }

    @Test
    void aCallInsideAnotherRunsInItsAttemptWithItsKeyAndLeavesItRunning() throws Exception {
        Pipeline outer = Pipeline.builder()
                .retry(RetryPolicy.builder()
                        .ticker(time)
                        .sleeper(time)
                        .scheduler(time)
                        .build())
                .build();
        Pipeline inner = breakerOnly();
        String[] keys = outer.call(() -> {
            String outerKey = RetryContext.current().idempotencyKey();
            String innerKey = inner.call(() -> RetryContext.current().idempotencyKey());
            assertThat(RetryContext.isActive())
                    .as("the outer call is still running")
                    .isTrue();
            return new String[] {outerKey, innerKey, RetryContext.current().idempotencyKey()};
        });
        assertThat(keys[1]).isEqualTo(keys[0]);
        assertThat(keys[2]).isEqualTo(keys[0]);
        assertThat(RetryContext.isActive()).isFalse();
    }

    /** Keys an observer cannot predict: all different, and random (version 4, IETF variant) UUIDs. */
    @Test
    void everyCallsIdempotencyKeyIsADistinctRandomUuid() throws Exception {
        Pipeline pipeline = breakerOnly();
        Set<String> keys = new HashSet<>();
        Set<Long> highHalves = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String key = pipeline.call(() -> RetryContext.current().idempotencyKey());
            UUID uuid = UUID.fromString(key);
            assertThat(uuid.version()).as("version of %s", key).isEqualTo(4);
            assertThat(uuid.variant()).as("variant of %s", key).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(key);
            keys.add(key);
            highHalves.add(uuid.getMostSignificantBits() ^ uuid.getLeastSignificantBits());
        }
        assertThat(keys).as("one key per call").hasSize(2_000);
        assertThat(highHalves).hasSize(2_000);
    }
}
