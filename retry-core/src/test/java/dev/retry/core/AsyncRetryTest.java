package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Calls that return a CompletionStage: retries are scheduled, never waited for on a thread. */
class AsyncRetryTest {

    private final VirtualClock time = new VirtualClock();
    private final RecordingListener listener = new RecordingListener();

    private RetryPolicyBuilder policy() {
        return RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .jitter(Jitter.NONE)
                .delay(Duration.ofMillis(100))
                .listener(listener);
    }

    /** Each attempt gets a fresh future that the test completes by hand, as a slow service would. */
    private static final class ManualService implements Supplier<CompletionStage<String>> {

        final List<CompletableFuture<String>> attempts = new ArrayList<>();
        final List<Integer> attemptNumbers = new ArrayList<>();
        final List<String> keys = new ArrayList<>();

        @Override
        public CompletionStage<String> get() {
            attemptNumbers.add(RetryContext.current().attempt());
            keys.add(RetryContext.current().idempotencyKey());
            CompletableFuture<String> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        }

        CompletableFuture<String> last() {
            return attempts.get(attempts.size() - 1);
        }
    }

    @Test
    void theCallerGetsAFutureAtOnceAndNoThreadWaitsBetweenAttempts() {
        ManualService service = new ManualService();
        CompletableFuture<String> result = policy().build().callAsync(service);

        assertThat(result).isNotDone();
        service.last().completeExceptionally(new IOException("down"));
        assertThat(result)
                .as("the retry waits on the scheduler, not on this thread")
                .isNotDone();
        assertThat(service.attempts).hasSize(1);
        assertThat(time.scheduledDelays()).containsExactly(Duration.ofMillis(100));
        assertThat(time.sleeps()).as("nothing slept").isEmpty();

        time.advance(Duration.ofMillis(99));
        assertThat(service.attempts).hasSize(1);
        time.advance(Duration.ofMillis(1));
        assertThat(service.attempts).hasSize(2);

        service.last().complete("ok");
        assertThat(result).isCompletedWithValue("ok");
        assertThat(listener.log).containsExactly("retry:1", "success:2");
    }

    @Test
    void theLastFailureIsDeliveredUnwrappedWithEarlierOnesSuppressed() {
        ManualService service = new ManualService();
        CompletableFuture<String> result = policy().maxAttempts(3).build().callAsync(service);
        IOException first = new IOException("first");
        IOException second = new IOException("second");
        IOException last = new IOException("last");
        service.last().completeExceptionally(first);
        time.advance(Duration.ofMillis(100));
        // A dependent stage hands on its failure wrapped in a CompletionException: it is unwrapped.
        service.last().completeExceptionally(new CompletionException(second));
        time.advance(Duration.ofMillis(200));
        service.last().completeExceptionally(last);

        assertThat(result).isCompletedExceptionally();
        Throwable delivered = result.handle((value, failure) -> failure).join();
        assertThat(delivered).isSameAs(last);
        assertThat(last.getSuppressed()).containsExactly(first, second);
        assertThat(listener.log).containsExactly("retry:1", "retry:2", "failure:3:ATTEMPTS_EXHAUSTED");
    }

    @Test
    void aSupplierThatThrowsInsteadOfReturningAStageCountsAsAFailedAttempt() {
        int[] calls = {0};
        CompletableFuture<String> result = policy().build().callAsync(() -> {
            if (++calls[0] < 3) {
                throw new IllegalStateException("pool exhausted");
            }
            return CompletableFuture.completedFuture("ok");
        });
        time.advance(Duration.ofSeconds(1));
        assertThat(result).isCompletedWithValue("ok");
        assertThat(calls[0]).isEqualTo(3);
    }

    @Test
    void aNullStageIsAFailureThatNamesThePolicy() {
        CompletableFuture<String> result =
                policy().name("orders").maxAttempts(1).build().callAsync(() -> null);
        assertThat(result.handle((value, failure) -> failure).join())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("'orders'");
    }

    @Test
    void aNonRetryableFailureEndsTheCallAtOnce() {
        ManualService service = new ManualService();
        CompletableFuture<String> result =
                policy().retryOn(IOException.class).build().callAsync(service);
        service.last().completeExceptionally(new IllegalArgumentException("bad request"));
        assertThat(result).isCompletedExceptionally();
        assertThat(time.pendingTasks()).isZero();
        assertThat(listener.log).containsExactly("failure:1:NOT_RETRYABLE");
    }

    @Test
    void rejectedResultsAreRetriedAndTheLastOneIsReturned() {
        CompletableFuture<String> result = policy().maxAttempts(2)
                .retryIfResult("pending"::equals)
                .build()
                .callAsync(() -> CompletableFuture.completedFuture("pending"));
        time.advance(Duration.ofSeconds(1));
        assertThat(result).isCompletedWithValue("pending");
        assertThat(listener.log).containsExactly("retry:1", "failure:2:ATTEMPTS_EXHAUSTED");
    }

    @Test
    void cancellingTheFutureWhileARetryWaitsStopsTheRetries() {
        ManualService service = new ManualService();
        CompletableFuture<String> result = policy().maxAttempts(5).build().callAsync(service);
        service.last().completeExceptionally(new IOException("down"));
        assertThat(time.pendingTasks()).isEqualTo(1);

        result.cancel(true);

        assertThat(time.pendingTasks()).as("the waiting retry was withdrawn").isZero();
        time.advance(Duration.ofMinutes(1));
        assertThat(service.attempts).hasSize(1);
        assertThat(listener.log).containsExactly("retry:1", "failure:1:CANCELLED");
    }

    @Test
    void cancellingTheFutureCancelsTheAttemptInFlight() {
        ManualService service = new ManualService();
        CompletableFuture<String> result = policy().build().callAsync(service);
        result.cancel(true);
        assertThat(service.last()).isCancelled();
        time.advance(Duration.ofMinutes(1));
        assertThat(service.attempts).hasSize(1);
    }

    @Test
    void anAsynchronousCallThatSucceedsOnARetryTellsItsListenersHowManyAttemptsItTook() {
        List<String> succeeded = new ArrayList<>();
        ManualService service = new ManualService();
        CompletableFuture<String> result = policy().listener(new RetryListener() {
                    @Override
                    public void onCallSucceeded(String policy, int attempts) {
                        succeeded.add(policy + ":" + attempts);
                    }
                })
                .name("quotes")
                .build()
                .callAsync(service);
        service.last().completeExceptionally(new IOException("down"));
        time.advance(Duration.ofMillis(100));
        service.last().complete("quote");

        assertThat(result).isCompletedWithValue("quote");
        assertThat(succeeded).containsExactly("quotes:2");
    }

    @Test
    void aCallCancelledWhileItsRetryIsBeingStartedCancelsTheStageThatRetryReturned() {
        List<CompletableFuture<String>> results = new ArrayList<>();
        ManualService service = new ManualService();
        Supplier<CompletionStage<String>> cancelledMeanwhile = () -> {
            CompletionStage<String> stage = service.get();
            if (service.attempts.size() == 2) {
                results.get(0).cancel(true); // the caller gives up as the retry starts, on another thread
            }
            return stage;
        };
        results.add(policy().build().callAsync(cancelledMeanwhile));
        service.last().completeExceptionally(new IOException("down"));
        time.advance(Duration.ofMillis(100));

        assertThat(results.get(0)).isCancelled();
        assertThat(service.attempts).hasSize(2);
        assertThat(service.last())
                .as("nobody would ever read the retry's result")
                .isCancelled();
    }

    @Test
    void aCallCancelledWhileItsRetryIsBeingScheduledLeavesNoRetryWaiting() {
        List<CompletableFuture<String>> results = new ArrayList<>();
        ManualService service = new ManualService();
        results.add(policy().maxAttempts(5)
                .listener(new RetryListener() {
                    @Override
                    public void onRetry(RetryEvent event) {
                        results.get(0).cancel(true); // the caller gives up as the retry is planned
                    }
                })
                .build()
                .callAsync(service));
        service.last().completeExceptionally(new IOException("down"));

        assertThat(results.get(0)).isCancelled();
        assertThat(time.pendingTasks())
                .as("the retry planned meanwhile was withdrawn")
                .isZero();
        time.advance(Duration.ofMinutes(1));
        assertThat(service.attempts).hasSize(1);
    }

    @Test
    void everyAttemptSeesItsNumberAndTheSameIdempotencyKey() {
        ManualService service = new ManualService();
        policy().build().callAsync(service);
        service.last().completeExceptionally(new IOException("1"));
        time.advance(Duration.ofMillis(100));
        service.last().completeExceptionally(new IOException("2"));
        time.advance(Duration.ofMillis(200));
        assertThat(service.attemptNumbers).containsExactly(1, 2, 3);
        assertThat(service.keys).hasSize(3).containsOnly(service.keys.get(0));
        assertThat(RetryContext.isActive())
                .as("nothing leaks onto the scheduler's thread")
                .isFalse();
    }

    @Test
    void theRealSchedulerRunsRetriesOnItsOwnThreads() {
        RetryPolicy retry = RetryPolicy.builder().delay(Duration.ZERO).build();
        List<String> threads = new ArrayList<>();
        String caller = Thread.currentThread().getName();
        CompletableFuture<String> result = retry.callAsync(() -> {
            synchronized (threads) {
                threads.add(Thread.currentThread().getName());
                if (threads.size() < 2) {
                    return CompletableFuture.failedFuture(new IOException("once"));
                }
            }
            return CompletableFuture.completedFuture("ok");
        });
        assertThat(result.join()).isEqualTo("ok");
        assertThat(threads).hasSize(2).first().isEqualTo(caller);
        assertThat(threads.get(1)).isNotEqualTo(caller);
    }
}
