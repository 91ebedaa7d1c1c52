package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An asynchronous attempt whose own start takes exactly the whole limit, and one whose timer cannot
 * be armed. Exactly at the limit counts as over it, as it does for an attempt that completes there.
 * The clock is a counter the attempts move; the scheduler only counts what it is asked to arm.
 */
class AsyncTimeoutAtTheLimitTest {

    private static final long START = 1L << 62;
    private static final Duration LIMIT = Duration.ofMillis(200);

    private final long[] now = {START};
    private final AtomicInteger armed = new AtomicInteger();
    private final List<TimeoutListener.Outcome> heard = new ArrayList<>();

    private TimeoutPolicy timeout(Scheduler scheduler) {
        return TimeoutPolicy.builder()
                .name("catalog")
                .duration(LIMIT)
                .ticker(() -> now[0])
                .scheduler(scheduler)
                .listener((name, outcome, nanos) -> heard.add(outcome))
                .build();
    }

    private TimeoutPolicy timeout() {
        return timeout((task, delayNanos) -> {
            armed.incrementAndGet();
            return () -> {};
        });
    }

    private static Throwable failureOf(CompletableFuture<?> call) {
        return call.handle((value, failure) -> Exceptions.unwrap(failure)).join();
    }

    @Test
    void anAnswerReadyOnlyAsTheLimitEndsIsATimeoutNotASuccess() {
        CompletableFuture<String> call = timeout().callAsync(() -> {
            now[0] += LIMIT.toNanos(); // making the stage took the whole limit
            return CompletableFuture.completedFuture("page");
        });

        assertThat(failureOf(call)).isInstanceOf(AttemptTimeoutException.class);
        assertThat(heard).containsExactly(TimeoutListener.Outcome.TIMEOUT);
    }

    @Test
    void aPendingAttemptWhoseStartTookTheWholeLimitFailsAtOnceWithNoTimerArmed() {
        CompletableFuture<String> attempt = new CompletableFuture<>();
        CompletableFuture<String> call = timeout().callAsync(() -> {
            now[0] += LIMIT.toNanos();
            return attempt;
        });

        assertThat(call).as("failed before any timer could fire").isCompletedExceptionally();
        assertThat(failureOf(call)).isInstanceOf(AttemptTimeoutException.class);
        assertThat(attempt).as("the attempt is told to stop").isCancelled();
        assertThat(armed).hasValue(0);
    }

    /** A shut-down scheduler: no attempt may run on without its deadline, so it is stopped at once. */
    @Test
    void anAttemptWhoseTimerIsRefusedIsCancelledAndTheCallFailsWithTheRefusal() {
        RejectedExecutionException shutDown = new RejectedExecutionException("scheduler shut down");
        CompletableFuture<String> attempt = new CompletableFuture<>();
        CompletableFuture<String> call = timeout((task, delayNanos) -> {
                    throw shutDown;
                })
                .callAsync(() -> attempt);

        assertThat(failureOf(call)).isSameAs(shutDown);
        assertThat(attempt).as("the attempt is told to stop").isCancelled();
    }
}
