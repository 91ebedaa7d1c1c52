package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * A hedge listener that throws an {@link Error} (a test's {@code AssertionError}, say). What it
 * throws is logged when it is a {@code RuntimeException}; an Error still goes on, but only after the
 * execution has done what the event was about, or the call would never end.
 */
class HostileHedgeListenerTests {

    private final VirtualClock time = new VirtualClock();
    private final List<CompletableFuture<String>> attempts = new ArrayList<>();

    private CompletionStage<String> attempt() {
        CompletableFuture<String> attempt = new CompletableFuture<>();
        attempts.add(attempt);
        return attempt;
    }

    private HedgePolicy hedge(HedgeListener listener) {
        return HedgePolicy.builder()
                .ticker(time)
                .scheduler(time)
                .executor(Runnable::run)
                .delay(Duration.ofMillis(100))
                .maxHedges(1)
                .listener(listener)
                .build();
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
