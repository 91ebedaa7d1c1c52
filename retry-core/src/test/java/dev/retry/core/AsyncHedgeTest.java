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

/** Hedged calls that return a CompletionStage: hedges are started by the scheduler, nobody waits. */
class AsyncHedgeTest {

    private final VirtualClock time = new VirtualClock();
    private final ManualExecutor executor = new ManualExecutor();
    private final RecordingHedgeListener listener = new RecordingHedgeListener();

    private HedgePolicyBuilder policy() {
        return HedgePolicy.builder()
                .ticker(time)
                .scheduler(time)
                .executor(executor)
                .delay(Duration.ofMillis(100))
                .listener(listener);
    }

    /** Each attempt gets a fresh future that the test completes by hand, as a slow service would. */
    private static final class ManualService implements Supplier<CompletionStage<String>> {

        final List<CompletableFuture<String>> attempts = new ArrayList<>();
        final List<String> threads = new ArrayList<>();

        @Override
        public CompletionStage<String> get() {
            threads.add(Thread.currentThread().getName());
            CompletableFuture<String> attempt = new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        }

        CompletableFuture<String> attempt(int index) {
            return attempts.get(index);
        }
    }

    @Test
    void theCallerGetsAFutureAtOnceAndTheSchedulerStartsTheHedge() {
        ManualService service = new ManualService();
        CompletableFuture<String> result = policy().build().callAsync(service);

        assertThat(result).isNotDone();
        assertThat(service.attempts)
                .as("the primary starts on the caller's thread")
                .hasSize(1);
        assertThat(service.threads).containsExactly(Thread.currentThread().getName());
        time.advance(Duration.ofMillis(99));
        assertThat(service.attempts).hasSize(1);
        time.advance(Duration.ofMillis(1));
        assertThat(service.attempts).as("the hedge starts at the delay").hasSize(2);

        service.attempt(1).complete("hedge");

        assertThat(result).isCompletedWithValue("hedge");
        assertThat(service.attempt(0)).as("the losing primary is cancelled").isCancelled();
        assertThat(time.sleeps()).as("nothing slept").isEmpty();
        assertThat(executor.submitted())
                .as("asynchronous calls need no executor")
                .isZero();
        assertThat(listener.log()).containsExactly("started:2", "hedge-won:2:2");
    }

    @Test
    void aPrimaryThatSucceedsBeforeTheDelayWinsAndTheTimerIsWithdrawn() {
        ManualService service = new ManualService();
        CompletableFuture<String> result = policy().build().callAsync(service);
        time.advance(Duration.ofMillis(50));
        service.attempt(0).complete("primary");

        assertThat(result).isCompletedWithValue("primary");
        assertThat(time.pendingTasks()).isZero();
        time.advance(Duration.ofSeconds(1));
        assertThat(service.attempts).hasSize(1);
        assertThat(listener.log()).containsExactly("primary-won:1:1");
    }

    @Test
    void aPrimaryThatWinsAfterTheHedgeStartedCancelsTheHedge() {
        ManualService service = new ManualService();
        CompletableFuture<String> result = policy().build().callAsync(service);
        time.advance(Duration.ofMillis(100));
        service.attempt(0).complete("primary");

        assertThat(result).isCompletedWithValue("primary");
        assertThat(service.attempt(1)).isCancelled();
        assertThat(listener.log()).containsExactly("started:2", "primary-won:2:1");
    }

    @Test
    void aFailedAttemptDoesNotWinWhileAnotherRunsAndTheLastFailureComesUnwrappedWithTheOthersSuppressed() {
        ManualService service = new ManualService();
        CompletableFuture<String> result = policy().maxHedges(2).build().callAsync(service);
        time.advance(Duration.ofMillis(200));
        IOException first = new IOException("primary down");
        IOException second = new IOException("hedge 2 down");
        IOException last = new IOException("hedge 1 down");

        service.attempt(0).completeExceptionally(first);
        // A dependent stage hands on its failure wrapped in a CompletionException: it is unwrapped.
        service.attempt(2).completeExceptionally(new CompletionException(second));
        assertThat(result).as("hedge 1 may still succeed").isNotDone();
        service.attempt(1).completeExceptionally(last);

        Throwable delivered = result.handle((value, failure) -> failure).join();
        assertThat(delivered).isSameAs(last);
        assertThat(last.getSuppressed()).containsExactly(first, second);
        assertThat(listener.log()).containsExactly("started:2", "started:3", "failure:3");
    }

    @Test
    void completingTheFutureByHandStopsEveryAttemptAndTheTimerAndTheCallsOwnOutcomeIsIgnored() {
        ManualService service = new ManualService();
        CompletableFuture<String> result = policy().maxHedges(2).build().callAsync(service);
        time.advance(Duration.ofMillis(100));

        assertThat(result.complete("by hand")).isTrue();

        assertThat(service.attempt(0)).isCancelled();
        assertThat(service.attempt(1)).isCancelled();
        assertThat(time.pendingTasks()).as("the next hedge's timer").isZero();
        assertThat(result.join()).isEqualTo("by hand");
        assertThat(listener.log()).containsExactly("started:2", "cancelled:2");
    }

    @Test
    void failingTheFutureByHandStopsEveryAttemptToo() {
        ManualService service = new ManualService();
        CompletableFuture<String> result = policy().build().callAsync(service);
        IllegalStateException mine = new IllegalStateException("given up by the caller");

        assertThat(result.completeExceptionally(mine)).isTrue();

        assertThat(service.attempt(0)).isCancelled();
        assertThat(time.pendingTasks()).isZero();
        assertThat(result).isCompletedExceptionally();
    }

    @Test
    void stagesChainedOnTheFutureArePlainFuturesThatStopNothingWhenCompleted() {
        ManualService service = new ManualService();
        CompletableFuture<String> result = policy().build().callAsync(service);
        CompletableFuture<Integer> length = result.thenApply(String::length);

        length.complete(-1);

        assertThat(service.attempt(0)).as("the call goes on").isNotCancelled();
        service.attempt(0).complete("primary");
        assertThat(result.join()).isEqualTo("primary");
        assertThat(length.getClass()).isEqualTo(CompletableFuture.class);
    }

    @Test
    void aPrimaryThatHasFailedAlreadyFailsTheCallAtOnceAndArmsNoHedge() {
        IOException down = new IOException("down");
        List<CompletableFuture<String>> attempts = new ArrayList<>();
        CompletableFuture<String> result = policy().build().callAsync(() -> {
            CompletableFuture<String> attempt =
                    attempts.isEmpty() ? CompletableFuture.failedFuture(down) : new CompletableFuture<>();
            attempts.add(attempt);
            return attempt;
        });

        assertThat(result)
                .as("the only attempt started has failed: the call fails")
                .isCompletedExceptionally();
        assertThat(attempts).hasSize(1);
        assertThat(time.pendingTasks())
                .as("no hedge is armed for a decided call")
                .isZero();
        assertThat(listener.log()).containsExactly("failure:1");
    }

    @Test
    void cancellingTheFutureCancelsEveryAttemptAndTheHedgesNotYetStarted() {
        ManualService service = new ManualService();
        CompletableFuture<String> result = policy().maxHedges(2).build().callAsync(service);
        time.advance(Duration.ofMillis(100));

        result.cancel(true);

        assertThat(service.attempt(0)).isCancelled();
        assertThat(service.attempt(1)).isCancelled();
        assertThat(time.pendingTasks()).isZero();
        time.advance(Duration.ofSeconds(1));
        assertThat(service.attempts).hasSize(2);
        assertThat(listener.log()).containsExactly("started:2", "cancelled:2");
    }

    @Test
    void aSupplierThatThrowsOrReturnsNullIsAFailedAttempt() {
        IllegalStateException exhausted = new IllegalStateException("pool exhausted");
        CompletableFuture<String> thrown = policy().build().callAsync(() -> {
            throw exhausted;
        });
        assertThat(thrown.handle((value, failure) -> failure).join()).isSameAs(exhausted);

        CompletableFuture<String> nothing = HedgePolicy.builder()
                .name("orders")
                .ticker(time)
                .scheduler(time)
                .build()
                .callAsync(() -> null);
        assertThat(nothing.handle((value, failure) -> failure).join())
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("'orders'");
        assertThat(time.pendingTasks()).isZero();
    }

    @Test
    void aHedgeThatThrowsDoesNotEndTheCallWhileThePrimaryRuns() {
        ManualService service = new ManualService();
        int[] invocations = {0};
        CompletableFuture<String> result = policy().build().callAsync(() -> {
            if (++invocations[0] == 2) {
                throw new IllegalStateException("no connection for the hedge");
            }
            return service.get();
        });
        time.advance(Duration.ofMillis(100));
        assertThat(result).isNotDone();
        service.attempt(0).complete("primary");
        assertThat(result).isCompletedWithValue("primary");
    }

    @Test
    void aListenerThatThrowsChangesNothingAndTheOthersStillHear() {
        HedgePolicy hedge = HedgePolicy.builder()
                .name("search")
                .ticker(time)
                .scheduler(time)
                .delay(Duration.ofMillis(100))
                .listener(new HedgeListener() {
                    @Override
                    public void onHedgeStarted(HedgeEvent event) {
                        throw new IllegalStateException("broken metrics");
                    }

                    @Override
                    public void onHedgeWon(HedgeEvent event) {
                        throw new IllegalStateException("broken metrics");
                    }
                })
                .listener(listener)
                .build();
        ManualService service = new ManualService();
        CompletableFuture<String> result = hedge.callAsync(service);
        time.advance(Duration.ofMillis(150));
        service.attempt(1).complete("hedge");

        assertThat(result).isCompletedWithValue("hedge");
        assertThat(listener.log()).containsExactly("started:2", "hedge-won:2:2");
        HedgeEvent won = listener.events.get(1);
        assertThat(won.policy()).isEqualTo("search");
        assertThat(won.delay()).isEqualTo(Duration.ofMillis(100));
        assertThat(won.elapsed()).isEqualTo(Duration.ofMillis(150));
        assertThat(won.failure()).isNull();
    }

    @Test
    void theRealSchedulerStartsTheHedgeOnAnotherThread() {
        HedgePolicy hedge = HedgePolicy.builder().delay(Duration.ZERO).build();
        List<String> threads = new ArrayList<>();
        CompletableFuture<String> never = new CompletableFuture<>();
        String caller = Thread.currentThread().getName();
        CompletableFuture<String> result = hedge.callAsync(() -> {
            synchronized (threads) {
                threads.add(Thread.currentThread().getName());
                if (threads.size() == 1) {
                    return never;
                }
            }
            return CompletableFuture.completedFuture("hedge");
        });
        assertThat(result.join()).isEqualTo("hedge");
        assertThat(never).isCancelled();
        assertThat(threads).hasSize(2).first().isEqualTo(caller);
        assertThat(threads.get(1)).isNotEqualTo(caller);
    }
}
