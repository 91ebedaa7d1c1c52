package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * An asynchronous attempt whose deadline passes before or while it is being started: the timer has
 * no stage to cancel yet, so the starting thread must fail the call with the timeout and stop the
 * attempt itself. The scheduler here is the hook: it hands the test the deadline task to run when
 * the test says.
 */
class AsyncTimeoutStartRaceTest {

    private static final long START = 1L << 62;

    private TimeoutPolicy timeout(Scheduler scheduler) {
        return TimeoutPolicy.builder()
                .name("catalog")
                .duration(Duration.ofMillis(200))
                .ticker(() -> START)
                .scheduler(scheduler)
                .build();
    }

    @Test
    void aTimerThatFiresAtOnceCancelsTheAttemptAndFailsTheCall() {
        TimeoutPolicy policy = timeout((task, delayNanos) -> {
            task.run(); // the timer fires as soon as it is armed: a scheduler far behind
            return () -> {};
        });
        CompletableFuture<String> attempt = new CompletableFuture<>();
        CompletableFuture<String> call = policy.callAsync(() -> attempt);
        assertThat(attempt).as("the attempt is told to stop").isCancelled();
        assertThat(call.handle((value, failure) -> Exceptions.unwrap(failure)).join())
                .as("the call fails with the timeout, not the attempt's cancellation")
                .isInstanceOf(AttemptTimeoutException.class);
    }

    @Test
    void anAttemptWhoseStartOutlastsTheLimitIsCancelledAndTimesOutWithNoTimerArmed() {
        long[] now = {START};
        AtomicInteger armed = new AtomicInteger();
        TimeoutPolicy policy = TimeoutPolicy.builder()
                .name("catalog")
                .duration(Duration.ofMillis(200))
                .ticker(() -> now[0])
                .scheduler((task, delayNanos) -> {
                    armed.incrementAndGet();
                    return () -> {};
                })
                .build();
        CompletableFuture<String> attempt = new CompletableFuture<>();
        CompletableFuture<String> call = policy.callAsync(() -> {
            now[0] += Duration.ofMillis(250).toNanos(); // the deadline passes while the stage is being made
            return attempt;
        });
        assertThat(attempt).as("the attempt is told to stop").isCancelled();
        assertThat(call.handle((value, failure) -> Exceptions.unwrap(failure)).join())
                .isInstanceOf(AttemptTimeoutException.class);
        assertThat(armed).as("no timer for an attempt already over its limit").hasValue(0);
    }

    @Test
    void aPendingAttemptsTimerIsArmedForWhatIsLeftOfTheLimit() {
        long[] now = {START};
        AtomicLong delay = new AtomicLong(-1);
        TimeoutPolicy policy = TimeoutPolicy.builder()
                .duration(Duration.ofMillis(200))
                .ticker(() -> now[0])
                .scheduler((task, delayNanos) -> {
                    delay.set(delayNanos);
                    return () -> {};
                })
                .build();
        policy.callAsync(() -> {
            now[0] += Duration.ofMillis(30).toNanos(); // the attempt's own start takes 30 ms
            return new CompletableFuture<String>();
        });
        assertThat(delay).hasValue(Duration.ofMillis(170).toNanos());
    }

    /**
     * A busy scheduler that has not yet fired the deadline when the attempt completes past it: the
     * attempt did overrun, so the call fails with the timeout (what the attempt answered attached),
     * and the listener hears a timeout, never a success. Exactly at the limit counts as over it.
     */
    @Test
    void anAttemptCompletingAtItsDeadlineBeforeALateTimerFiresStillTimesOut() {
        long[] now = {START};
        java.util.List<TimeoutListener.Outcome> heard = new java.util.ArrayList<>();
        TimeoutPolicy policy = TimeoutPolicy.builder()
                .name("catalog")
                .duration(Duration.ofMillis(200))
                .ticker(() -> now[0])
                .scheduler((task, delayNanos) -> () -> {}) // a timer that has not fired yet
                .listener((name, outcome, nanos) -> heard.add(outcome))
                .build();
        CompletableFuture<String> attempt = new CompletableFuture<>();
        CompletableFuture<String> call = policy.callAsync(() -> attempt);
        now[0] += Duration.ofMillis(200).toNanos();
        attempt.complete("late page");
        assertThat(call.handle((value, failure) -> Exceptions.unwrap(failure)).join())
                .isInstanceOf(AttemptTimeoutException.class);
        assertThat(heard).containsExactly(TimeoutListener.Outcome.TIMEOUT);

        CompletableFuture<String> inTime = new CompletableFuture<>();
        CompletableFuture<String> next = policy.callAsync(() -> inTime);
        now[0] += Duration.ofMillis(199).toNanos();
        inTime.complete("page");
        assertThat(next.join()).as("a millisecond under the limit is in time").isEqualTo("page");
        assertThat(heard).containsExactly(TimeoutListener.Outcome.TIMEOUT, TimeoutListener.Outcome.SUCCESS);
    }
}
