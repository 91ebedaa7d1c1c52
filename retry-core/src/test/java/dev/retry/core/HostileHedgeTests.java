package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Hedged calls whose scheduler stops working part-way (an application shutting down), or whose
 * listener throws an {@link Error} (a test's {@code AssertionError}, say): the call goes on with the
 * attempts it has, and still ends when they do. A listener's RuntimeException is logged; an Error
 * still goes on, but only after the execution has done what the event was about.
 */
class HostileHedgeTests {

    private final VirtualClock time = new VirtualClock();
    private final List<CompletableFuture<String>> attempts = new ArrayList<>();

    /** The virtual clock for the first {@code allowed} timers, then a refusal, as a stopped executor. */
    private Scheduler refusingAfter(int allowed) {
        int[] armed = {0};
        return (task, delayNanos) -> {
            if (armed[0]++ >= allowed) {
                throw new RejectedExecutionException("the application's scheduler is shut down");
            }
            return time.schedule(task, delayNanos);
        };
    }

    private CompletionStage<String> attempt() {
        CompletableFuture<String> attempt = new CompletableFuture<>();
        attempts.add(attempt);
        return attempt;
    }

    private HedgePolicyBuilder hedgeBuilder() {
        return HedgePolicy.builder().ticker(time).executor(Runnable::run).delay(Duration.ofMillis(100));
    }

    private HedgePolicy hedge(Scheduler scheduler) {
        return hedgeBuilder().scheduler(scheduler).maxHedges(2).build();
    }

    /** One hedge at most, on the virtual clock, heard by {@code listener}. */
    private HedgePolicy hedge(HedgeListener listener) {
        return hedgeBuilder().scheduler(time).maxHedges(1).listener(listener).build();
    }

    @Test
    void aSchedulerThatRefusesTheNextHedgesTimerStillLetsTheStartedHedgeRunAndTheCallEnd() {
        CompletableFuture<String> result = hedge(refusingAfter(1)).callAsync(this::attempt);

        time.advance(Duration.ofMillis(100));
        assertThat(attempts).as("the hedge whose timer fired is started").hasSize(2);
        attempts.get(0).completeExceptionally(new IOException("primary down"));
        attempts.get(1).completeExceptionally(new IOException("hedge down"));

        assertThat(result)
                .as("every started attempt failed: the call is decided")
                .isCompletedExceptionally();
        assertThatThrownBy(result::join).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void aSchedulerThatRefusesTheFirstTimerLeavesTheCallToItsPrimary() {
        CompletableFuture<String> result = hedge(refusingAfter(0)).callAsync(this::attempt);

        assertThat(attempts).hasSize(1);
        attempts.get(0).complete("primary");

        assertThat(result).isCompletedWithValue("primary");
    }

    @Test
    void aSynchronousCallWhoseSchedulerRefusesTheFirstTimerGetsItsPrimarysResult() {
        assertThat(hedge(refusingAfter(0)).call(() -> "primary")).isEqualTo("primary");
    }

    private static AssertionError broken() {
        return new AssertionError("a listener's own check failed");
    }

    @Test
    void aListenerThatThrowsWhenThePrimaryWinsStillLetsTheCallComplete() {
        CompletableFuture<String> result = hedge(new HedgeListener() {
                    @Override
                    public void onPrimaryWon(HedgeEvent event) {
                        throw broken();
                    }
                })
                .callAsync(this::attempt);

        try {
            attempts.get(0).complete("primary");
        } catch (AssertionError seenByTheCompletingThread) {
            // where it goes: to the thread that completed the attempt
        }

        assertThat(result).isCompletedWithValue("primary");
    }

    @Test
    void aListenerThatThrowsAsAHedgeStartsStillLaunchesItAndTheCallEndsWhenBothFail() {
        CompletableFuture<String> result = hedge(new HedgeListener() {
                    @Override
                    public void onHedgeStarted(HedgeEvent event) {
                        throw broken();
                    }
                })
                .callAsync(this::attempt);

        try {
            time.advance(Duration.ofMillis(100));
        } catch (AssertionError seenByTheTimersThread) {
            // where it goes: to the thread that ran the hedge's timer
        }
        assertThat(attempts).as("the hedge counted as started was launched").hasSize(2);
        attempts.get(0).completeExceptionally(new IOException("primary down"));
        attempts.get(1).completeExceptionally(new IOException("hedge down"));

        assertThat(result)
                .as("every started attempt failed: the call is decided")
                .isCompletedExceptionally();
    }

    @Test
    void aListenerThatThrowsWhenAllFailedStillFailsTheCall() {
        CompletableFuture<String> result = hedge(new HedgeListener() {
                    @Override
                    public void onAllFailed(HedgeEvent event) {
                        throw broken();
                    }
                })
                .callAsync(this::attempt);

        try {
            attempts.get(0).completeExceptionally(new IOException("down"));
        } catch (AssertionError seenByTheCompletingThread) {
            // where it goes: to the thread that completed the attempt
        }

        assertThat(result).isCompletedExceptionally();
        assertThat(result.handle((value, failure) -> failure).join()).isInstanceOf(IOException.class);
    }
}
