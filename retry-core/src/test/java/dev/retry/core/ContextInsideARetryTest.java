package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Calls made through a pipeline or a bulkhead from inside a retry's attempt: they take part in the
 * retry's call, so its {@link RetryContext} (the attempt number, and the key every attempt shares)
 * is what they see and what they leave behind. Virtual time.
 */
class ContextInsideARetryTest {

    private final VirtualClock time = new VirtualClock();

    private RetryPolicy retry() {
        return RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .jitter(Jitter.NONE)
                .maxAttempts(2)
                .build();
    }

    private CircuitBreakerPolicy breaker() {
        return CircuitBreakerPolicy.builder().ticker(time).build();
    }

    /** What the retry's context says after the inner call, on each of the retry's two attempts. */
    private List<String> contextAfterEachAttempt(CheckedRunnable<Exception> innerCall) throws Exception {
        List<String> seen = new ArrayList<>();
        retry().call(() -> {
            innerCall.run();
            RetryContext context = RetryContext.current();
            seen.add(context.attempt() + " " + context.idempotencyKey());
            if (seen.size() == 1) {
                throw new IOException("the first attempt fails");
            }
            return "done";
        });
        return seen;
    }

    private static void assertSameKeyAcrossAttempts(List<String> seen) {
        assertThat(seen).hasSize(2);
        String key = seen.get(0).substring(2);
        assertThat(seen).containsExactly("1 " + key, "2 " + key);
    }

    @Test
    void aPipelineCalledInsideARetryLeavesTheRetrysContextAsItWas() throws Exception {
        Pipeline guarded = Pipeline.builder().circuitBreaker(breaker()).build();
        Pipeline empty = Pipeline.builder().build();

        assertSameKeyAcrossAttempts(contextAfterEachAttempt(() -> guarded.call(() -> "inner")));
        assertSameKeyAcrossAttempts(contextAfterEachAttempt(() -> empty.call(() -> "inner")));
    }

    @Test
    void anAsynchronousPipelineCallInsideARetryLeavesTheRetrysContextAsItWas() throws Exception {
        Pipeline guarded = Pipeline.builder().circuitBreaker(breaker()).build();
        Pipeline empty = Pipeline.builder().build();

        assertSameKeyAcrossAttempts(
                contextAfterEachAttempt(() -> guarded.callAsync(() -> CompletableFuture.completedFuture("inner"))
                        .join()));
        assertSameKeyAcrossAttempts(
                contextAfterEachAttempt(() -> empty.callAsync(() -> CompletableFuture.completedFuture("inner"))
                        .join()));
    }

    /**
     * An asynchronous bulkhead call that has to wait for a permit starts later on the scheduler's
     * thread, once a permit is free; it still runs under the key of the retry attempt that made it, though nobody had
     * asked for that key yet when the call was queued.
     */
    @Test
    void aQueuedBulkheadCallStartsLaterUnderTheKeyOfTheAttemptThatMadeIt() throws Exception {
        BulkheadPolicy bulkhead = BulkheadPolicy.builder()
                .maxConcurrentCalls(1)
                .maxWait(Duration.ofMinutes(1))
                .scheduler(time)
                .build();
        CompletableFuture<String> holder = new CompletableFuture<>();
        assertThat(bulkhead.callAsync(() -> holder)).isNotDone();
        AtomicReference<String> keyOfTheQueuedCall = new AtomicReference<>();

        AtomicReference<String> keyOfTheAttempt = new AtomicReference<>();
        CompletableFuture<String> queued = RetryPolicy.builder()
                .ticker(time)
                .scheduler(time)
                .build()
                .call(() -> {
                    CompletableFuture<String> call = bulkhead.callAsync(() -> {
                        keyOfTheQueuedCall.set(RetryContext.current().idempotencyKey());
                        return CompletableFuture.completedFuture("queued");
                    });
                    keyOfTheAttempt.set(RetryContext.current().idempotencyKey()); // asked for only now
                    return call;
                });
        assertThat(queued).isNotDone();

        holder.complete("released"); // the permit passes to the queued call,
        time.runDueTasks(); // which the scheduler's thread starts

        assertThat(queued).isCompletedWithValue("queued");
        assertThat(keyOfTheQueuedCall.get()).isNotNull().isEqualTo(keyOfTheAttempt.get());
    }
}
