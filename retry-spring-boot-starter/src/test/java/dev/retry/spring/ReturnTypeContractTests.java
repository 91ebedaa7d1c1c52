package dev.retry.spring;

import static dev.retry.spring.ContractChecks.target;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.AttemptTimeoutException;
import dev.retry.core.BulkheadFullException;
import dev.retry.core.RetryContext;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Plain values, {@code void} and {@code CompletionStage}: retries, timeouts and bulkheads on each,
 * without blocking a thread while an asynchronous call waits.
 * Part of the contract checked from outside; see {@link ContractChecks}.
 */
class ReturnTypeContractTests {

    private final ApplicationContextRunner runner = ContractChecks.runner();

    static class AsyncWork {

        final List<CompletableFuture<String>> started = new CopyOnWriteArrayList<>();
        final List<Integer> attempts = new CopyOnWriteArrayList<>();
        final List<String> keys = new CopyOnWriteArrayList<>();
        final AtomicInteger calls = new AtomicInteger();

        @Timeout("short")
        public CompletableFuture<String> never() {
            CompletableFuture<String> work = new CompletableFuture<>();
            started.add(work);
            return work;
        }

        @Retryable("patient")
        public CompletionStage<String> stock() {
            attempts.add(RetryContext.current().attempt());
            keys.add(RetryContext.current().idempotencyKey());
            return calls.incrementAndGet() == 1
                    ? CompletableFuture.failedFuture(new IOException("first"))
                    : CompletableFuture.completedFuture("stock");
        }

        @Bulkhead("single")
        public CompletableFuture<String> pending() {
            CompletableFuture<String> work = new CompletableFuture<>();
            started.add(work);
            return work;
        }
    }

    @Test
    void aCompletionStageFailsAtItsDeadlineAndItsWorkIsCancelled() {
        runner.withBean(AsyncWork.class)
                .withPropertyValues("retry.timeouts.short.duration=100ms")
                .run(context -> {
                    AsyncWork work = context.getBean(AsyncWork.class);
                    long start = System.nanoTime();
                    CompletableFuture<String> call = work.never();
                    // The upper bound only says "it does not hang": a loaded machine can stall the scheduler for
                    // seconds. The lower bound, which no stall can break, says the failure waited for the deadline.
                    assertThat(call)
                            .failsWithin(Duration.ofSeconds(30))
                            .withThrowableOfType(ExecutionException.class)
                            .withCauseExactlyInstanceOf(AttemptTimeoutException.class);
                    assertThat(Duration.ofNanos(System.nanoTime() - start))
                            .as("time until the call failed")
                            .isGreaterThanOrEqualTo(Duration.ofMillis(100));
                    assertThat(target(work).started)
                            .singleElement()
                            .satisfies(started -> assertThat(started).isCancelled());
                });
    }

    @Test
    void aCompletionStageIsRetriedWithoutBlockingTheCallerAndKeepsOneIdempotencyKey() throws Exception {
        runner.withBean(AsyncWork.class)
                .withPropertyValues("retry.policies.patient.delay=400ms")
                .run(context -> {
                    AsyncWork work = context.getBean(AsyncWork.class);
                    CompletionStage<String> stock = work.stock();
                    // The retry succeeds the moment it starts: had the caller waited out the backoff, this would be
                    // done.
                    assertThat(stock.toCompletableFuture())
                            .as("the caller did not wait out the backoff")
                            .isNotDone();
                    assertThat(stock.toCompletableFuture().get(30, SECONDS)).isEqualTo("stock");
                    assertThat(target(work).attempts).containsExactly(1, 2);
                    assertThat(target(work).keys)
                            .hasSize(2)
                            .containsOnly(target(work).keys.get(0));
                });
    }

    @Test
    void anAsynchronousAttemptHoldsItsPermitUntilItsStageCompletesAndGivesItBackWhateverTheOutcome() {
        runner.withBean(AsyncWork.class)
                .withPropertyValues("retry.bulkheads.single.max-concurrent-calls=1")
                .run(context -> {
                    AsyncWork work = context.getBean(AsyncWork.class);
                    CompletableFuture<String> first = work.pending();
                    assertThat(catchThrowable(() -> work.pending().get(2, SECONDS)))
                            .as("the first stage still holds the permit")
                            .isInstanceOf(ExecutionException.class)
                            .cause()
                            .isExactlyInstanceOf(BulkheadFullException.class);
                    target(work).started.get(0).completeExceptionally(new IOException("failed"));
                    assertThat(first).isCompletedExceptionally();
                    CompletableFuture<String> third = work.pending();
                    assertThat(third)
                            .as("permitted once the failed stage gave its permit back")
                            .isNotDone();
                    target(work).started.get(1).complete("done");
                    assertThat(third).isCompletedWithValue("done");
                });
    }

    static class Voids {

        final AtomicInteger calls = new AtomicInteger();

        @Retryable
        public void touch() throws IOException {
            if (calls.incrementAndGet() < 3) {
                throw new IOException("not yet");
            }
        }
    }

    @Test
    void aVoidMethodIsRetried() throws IOException {
        runner.withBean(Voids.class).run(context -> {
            Voids voids = context.getBean(Voids.class);
            voids.touch();
            assertThat(target(voids).calls).hasValue(3);
        });
    }
}
