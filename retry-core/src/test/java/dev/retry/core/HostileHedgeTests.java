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
 * Hedged calls whose scheduler stops working part-way (an application shutting down): the call
 * goes on with the attempts it has, and still ends when they do.
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

    private HedgePolicy hedge(Scheduler scheduler) {
        return HedgePolicy.builder()
                .ticker(time)
                .scheduler(scheduler)
                .executor(Runnable::run)
                .delay(Duration.ofMillis(100))
                .maxHedges(2)
                .build();
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
}
