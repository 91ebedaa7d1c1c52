package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * An adaptive delay follows a percentile of recent latencies, within its bounds, and falls back to
 * a fixed delay until enough latencies are known.
 */
class AdaptiveHedgeDelayTest {

    private static final long MS = 1_000_000L;
    private static final Duration REFRESH = Duration.ofMillis(HedgePolicy.DELAY_REFRESH_MILLIS);

    private final VirtualClock time = new VirtualClock();

    private HedgePolicyBuilder policy() {
        return HedgePolicy.builder().ticker(time).scheduler(time);
    }

    /** Records {@code count} latencies spread evenly over {@code [from, from + span)}. */
    private static void feed(HedgePolicy hedge, long fromNanos, long spanNanos, int count) {
        for (int i = 0; i < count; i++) {
            hedge.recordLatency(fromNanos + spanNanos * i / count);
        }
    }

    /** Within the histogram's resolution: never below the exact value, at most a sixteenth (plus a unit) above. */
    private static void assertTracks(Duration delay, long exactNanos) {
        assertThat(delay.toNanos()).isBetween(exactNanos, exactNanos + exactNanos / 16 + 1024);
    }

    @Test
    void untilEnoughLatenciesAreKnownTheDelayIsTheDelaySetOrTheDefaultWithinTheBounds() {
        HedgePolicy withoutDelay = policy().delayPercentile(90, Duration.ofMillis(5), Duration.ofSeconds(1))
                .build();
        HedgePolicy withDelay = policy().delayPercentile(90, Duration.ofMillis(5), Duration.ofSeconds(1))
                .delay(Duration.ofMillis(150))
                .build();
        assertThat(withoutDelay.currentDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(withDelay.currentDelay()).isEqualTo(Duration.ofMillis(150));

        // p90 needs 50 latencies: five expected above it.
        feed(withDelay, 40 * MS, 0, 49);
        time.advance(REFRESH);
        assertThat(withDelay.currentDelay()).isEqualTo(Duration.ofMillis(150));
        feed(withDelay, 40 * MS, 0, 1);
        time.advance(REFRESH);
        assertThat(withDelay.currentDelay()).isEqualTo(Duration.ofMillis(40));
    }

    @Test
    void theDelayTracksTheChosenPercentileAndMovesWhenTheLatenciesShift() {
        HedgePolicy p90 = policy().delayPercentile(90, Duration.ZERO, Duration.ofSeconds(5))
                .build();
        HedgePolicy p50 = policy().delayPercentile(50, Duration.ZERO, Duration.ofSeconds(5))
                .build();
        for (HedgePolicy hedge : List.of(p90, p50)) {
            feed(hedge, 10 * MS, 100 * MS, 1_000); // 10 ms .. 110 ms, 100 µs apart
        }
        time.advance(REFRESH);
        assertTracks(p90.currentDelay(), 10 * MS + 899 * 100_000L); // the 900th of 1000
        assertTracks(p50.currentDelay(), 10 * MS + 499 * 100_000L);

        // The service slows down: 200 ms .. 300 ms. Both spells are in the window for a while.
        time.advance(Duration.ofSeconds(4));
        Duration before = p90.currentDelay();
        for (HedgePolicy hedge : List.of(p90, p50)) {
            feed(hedge, 200 * MS, 100 * MS, 1_000);
        }
        assertThat(p90.currentDelay())
                .as("read again at most once per refresh interval")
                .isEqualTo(before);
        time.advance(REFRESH);
        assertTracks(p90.currentDelay(), 200 * MS + 799 * 100_000L); // the 1800th of 2000: the new 800th
        assertTracks(p50.currentDelay(), 10 * MS + 999 * 100_000L); // the 1000th: the old spell's last

        // Ten seconds after the first spell it has left the window: only the slow one counts.
        time.advance(Duration.ofSeconds(8));
        assertTracks(p90.currentDelay(), 200 * MS + 899 * 100_000L);
        assertTracks(p50.currentDelay(), 200 * MS + 499 * 100_000L);
    }

    @Test
    void theDelayStaysWithinItsBounds() {
        HedgePolicy hedge = policy().delayPercentile(95, Duration.ofMillis(20), Duration.ofMillis(500))
                .build();
        feed(hedge, 1 * MS, 5 * MS, 1_000);
        time.advance(REFRESH);
        assertThat(hedge.currentDelay()).isEqualTo(Duration.ofMillis(20));

        time.advance(Duration.ofSeconds(11));
        feed(hedge, 2_000 * MS, 1_000 * MS, 1_000);
        time.advance(REFRESH);
        assertThat(hedge.currentDelay()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void whenTrafficStopsTheLatenciesAgeOutAndTheFallbackReturns() {
        HedgePolicy hedge = policy().delayPercentile(90, Duration.ofMillis(5), Duration.ofSeconds(1))
                .delay(Duration.ofMillis(150))
                .build();
        feed(hedge, 40 * MS, 0, 100);
        time.advance(REFRESH);
        assertThat(hedge.currentDelay()).isEqualTo(Duration.ofMillis(40));
        time.advance(Duration.ofSeconds(10));
        assertThat(hedge.currentDelay()).isEqualTo(Duration.ofMillis(150));
    }

    @Test
    void callsFeedTheirLatenciesAndTheDelayThenHedgesTheSlowOnes() {
        RecordingHedgeListener listener = new RecordingHedgeListener();
        HedgePolicy hedge = policy().delayPercentile(90, Duration.ofMillis(5), Duration.ofSeconds(1))
                .delay(Duration.ofMillis(200))
                .listener(listener)
                .build();
        List<CompletableFuture<String>> attempts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            hedge.callAsync(() -> record(attempts));
            time.advance(Duration.ofMillis(40));
            attempts.get(attempts.size() - 1).complete("in 40 ms");
        }
        assertThat(listener.log())
                .as("no hedge while the fallback of 200 ms applied")
                .doesNotContain("started:2");
        time.advance(REFRESH);
        assertThat(hedge.currentDelay()).isEqualTo(Duration.ofMillis(40));

        CompletableFuture<String> slow = hedge.callAsync(() -> record(attempts));
        time.advance(Duration.ofMillis(40));
        assertThat(attempts).as("a slow call is now hedged at 40 ms").hasSize(52);
        attempts.get(51).complete("hedge");
        assertThat(slow).isCompletedWithValue("hedge");
    }

    @Test
    void aHedgeThatWinsRecordsTheTimeToItsSuccessAsTheLeastThePrimaryWouldHaveTaken() {
        HedgePolicy hedge = policy().delayPercentile(50, Duration.ofMillis(10), Duration.ofSeconds(1))
                .delay(Duration.ofMillis(10))
                .build();
        List<CompletableFuture<String>> attempts = new ArrayList<>();
        hedge.callAsync(() -> record(attempts));
        time.advance(Duration.ofMillis(60));
        attempts.get(1).complete("hedge");

        LatencyHistogram latencies = hedge.latencies();
        assertThat(latencies.count()).isEqualTo(1);
        assertThat(latencies.valueAtPercentile(100, 1)).isEqualTo(60 * MS);
    }

    @Test
    void aCallWhosePrimaryFailedRecordsNoLatency() {
        HedgePolicy hedge = policy().delayPercentile(50, Duration.ofMillis(10), Duration.ofSeconds(1))
                .delay(Duration.ofMillis(10))
                .build();
        List<CompletableFuture<String>> attempts = new ArrayList<>();
        hedge.callAsync(() -> record(attempts));
        time.advance(Duration.ofMillis(10));
        attempts.get(0).completeExceptionally(new IOException("primary down"));
        time.advance(Duration.ofMillis(5));
        attempts.get(1).complete("hedge");
        assertThat(hedge.latencies().count())
                .as("the primary's latency is unknown, not 15 ms")
                .isZero();
    }

    @Test
    void aFixedDelayKeepsNoLatencies() {
        HedgePolicy hedge = policy().delay(Duration.ofMillis(30)).build();
        assertThat(hedge.latencies()).isNull();
        hedge.callAsync(() -> CompletableFuture.completedFuture("ok"));
        assertThat(hedge.currentDelay()).isEqualTo(Duration.ofMillis(30));
    }

    private static CompletableFuture<String> record(List<CompletableFuture<String>> attempts) {
        CompletableFuture<String> attempt = new CompletableFuture<>();
        attempts.add(attempt);
        return attempt;
    }
}
