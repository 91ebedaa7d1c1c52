package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Asynchronous retries fed user code that misbehaves: a predicate, an extractor or a random
 * source that throws must end the caller's future, never leave it pending for ever.
 */
class HostileAsyncRetryTests {

    private final VirtualClock time = new VirtualClock();

    private RetryPolicyBuilder policy() {
        return RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .maxAttempts(3)
                .delay(Duration.ofMillis(10));
    }

    private static CompletableFuture<String> failed(Throwable failure) {
        return CompletableFuture.failedFuture(failure);
    }

    @Test
    void aResultPredicateThatThrowsEndsTheFutureWithItsException() {
        IllegalStateException broken = new IllegalStateException("predicate broke");
        RetryPolicy retry = policy().retryIfResult(result -> {
                    throw broken;
                })
                .build();

        CompletableFuture<String> result = retry.callAsync(() -> CompletableFuture.completedFuture("value"));

        assertThat(result).as("the caller is told, not left waiting").isDone();
        assertThatThrownBy(result::join).hasCause(broken);
    }

    @Test
    void aResultPredicateThatThrowsOnALaterAttemptEndsTheFuture() {
        IllegalStateException broken = new IllegalStateException("predicate broke");
        int[] calls = {0};
        RetryPolicy retry = policy().retryIfResult(result -> {
                    if (++calls[0] == 2) {
                        throw broken;
                    }
                    return true;
                })
                .build();

        CompletableFuture<String> result = retry.callAsync(() -> CompletableFuture.completedFuture("value"));
        time.runAll();

        assertThat(result).isDone();
        assertThatThrownBy(result::join).hasCause(broken);
    }

    @Test
    void aRetryPredicateThatThrowsEndsTheFutureAndKeepsTheAttemptsFailure() {
        IOException down = new IOException("down");
        IllegalStateException broken = new IllegalStateException("retryIf broke");
        RetryPolicy retry = policy().retryIf(failure -> {
                    throw broken;
                })
                .build();

        CompletableFuture<String> result = retry.callAsync(() -> failed(down));

        assertThat(result).isDone();
        assertThatThrownBy(result::join).hasCause(broken);
        assertThat(broken.getSuppressed())
                .as("the call's own failure is not lost")
                .contains(down);
    }

    @Test
    void aRequestedDelayExtractorThatThrowsEndsTheFuture() {
        IllegalStateException broken = new IllegalStateException("extractor broke");
        RetryPolicy retry = policy().requestedDelay(failure -> {
                    throw broken;
                })
                .build();

        CompletableFuture<String> result = retry.callAsync(() -> failed(new IOException("down")));

        assertThat(result).isDone();
        assertThatThrownBy(result::join).hasCause(broken);
    }

    @Test
    void aSchedulerThatRefusesTheRetryEndsTheFutureWithTheRefusal() {
        IOException down = new IOException("down");
        RejectedExecutionException refusal = new RejectedExecutionException("shut down");
        RetryPolicy retry = RetryPolicy.builder()
                .ticker(time)
                .scheduler((task, delayNanos) -> {
                    throw refusal;
                })
                .build();

        CompletableFuture<String> result = retry.callAsync(() -> failed(down));

        assertThat(result)
                .as("as a bulkhead does, the call that needed the scheduler fails with its refusal")
                .isDone();
        assertThatThrownBy(result::join).hasCause(refusal);
        assertThat(refusal.getSuppressed())
                .as("the attempt's own failure is kept")
                .containsExactly(down);
    }

    @Test
    void aFutureThatNeverCompletesIsEndedByATimeoutInsideThePipeline() throws Exception {
        CompletableFuture<String> never = new CompletableFuture<>();
        RetryPolicy retry = policy().build();
        CompletableFuture<String> result = retry.callAsync(() -> never);

        result.cancel(true);

        assertThat(never)
                .as("cancelling the call cancels the attempt in flight")
                .isCancelled();
        assertThat(time.pendingTasks()).isZero();
        assertThatThrownBy(() -> result.get(1, TimeUnit.SECONDS))
                .isInstanceOf(java.util.concurrent.CancellationException.class);
    }

    @Test
    void aSupplierThatReturnsNullIsAFailureOfThatAttempt() throws Exception {
        int[] calls = {0};
        RetryPolicy retry = policy().jitter(Jitter.NONE).build();

        CompletableFuture<String> result =
                retry.callAsync(() -> ++calls[0] < 3 ? null : CompletableFuture.completedFuture("ok"));
        time.runAll();

        assertThat(result.get(0, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(calls[0]).isEqualTo(3);
    }

    @Test
    void aRandomSourceThatThrowsEndsTheFuture() {
        IllegalStateException broken = new IllegalStateException("random broke");
        RetryPolicy retry = policy().random(() -> {
                    throw broken;
                })
                .build();

        CompletableFuture<String> result = retry.callAsync(() -> failed(new IOException("down")));

        assertThat(result).isDone();
        assertThatThrownBy(() -> result.get(0, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCause(broken);
    }
}
