package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The delay sequences a user configures, as they come out, with jitter off unless a test turns it on. */
class BackoffTest {

    private static final long MS = 1_000_000L;

    private static RetryConfig config(
            Backoff backoff, Jitter jitter, long delayMs, double multiplier, long maxDelayMs) {
        return RetryPolicy.builder()
                .backoff(backoff)
                .jitter(jitter)
                .delay(Duration.ofMillis(delayMs))
                .multiplier(multiplier)
                .maxDelay(Duration.ofMillis(maxDelayMs))
                .build()
                .config();
    }

    private static long[] delaysMs(RetryConfig config, int retries) {
        return IntStream.rangeClosed(1, retries)
                .mapToLong(n -> config.computedDelayNanos(n, 0, 0.0) / MS)
                .toArray();
    }

    @Test
    void fixedWaitsTheSameEveryTime() {
        assertThat(delaysMs(config(Backoff.FIXED, Jitter.NONE, 100, 2.0, 10_000), 4))
                .containsExactly(100, 100, 100, 100);
    }

    @Test
    void linearGrowsByTheDelayEachTime() {
        assertThat(delaysMs(config(Backoff.LINEAR, Jitter.NONE, 100, 2.0, 10_000), 4))
                .containsExactly(100, 200, 300, 400);
    }

    @Test
    void exponentialMultipliesEachTime() {
        assertThat(delaysMs(config(Backoff.EXPONENTIAL, Jitter.NONE, 100, 3.0, 10_000), 4))
                .containsExactly(100, 300, 900, 2700);
    }

    @Test
    void fibonacciFollowsTheSequence() {
        assertThat(delaysMs(config(Backoff.FIBONACCI, Jitter.NONE, 100, 2.0, 100_000), 8))
                .containsExactly(100, 100, 200, 300, 500, 800, 1300, 2100);
    }

    @Test
    void everyGrowingKindIsCappedAtMaxDelay() {
        for (Backoff backoff : new Backoff[] {Backoff.LINEAR, Backoff.EXPONENTIAL, Backoff.FIBONACCI}) {
            assertThat(java.util.Arrays.stream(delaysMs(config(backoff, Jitter.NONE, 100, 2.0, 250), 12))
                            .max())
                    .as(backoff.name())
                    .hasValue(250);
        }
        assertThat(delaysMs(config(Backoff.EXPONENTIAL, Jitter.NONE, 100, 2.0, 250), 3))
                .containsExactly(100, 200, 250);
    }

    @Test
    void aVeryLateRetrySaturatesAtTheCapInsteadOfOverflowing() {
        RetryConfig exponential = config(Backoff.EXPONENTIAL, Jitter.NONE, 100, 10.0, 60_000);
        assertThat(exponential.computedDelayNanos(10_000, 0, 0.0)).isEqualTo(60_000 * MS);
        RetryConfig fibonacci = config(Backoff.FIBONACCI, Jitter.NONE, 100, 2.0, 60_000);
        assertThat(fibonacci.computedDelayNanos(Integer.MAX_VALUE, 0, 0.0)).isEqualTo(60_000 * MS);
    }

    @Test
    void fullJitterScalesTheDelayByTheDrawnNumber() {
        RetryConfig config = config(Backoff.FIXED, Jitter.FULL, 1000, 2.0, 10_000);
        assertThat(config.computedDelayNanos(1, 0, 0.0)).isZero();
        assertThat(config.computedDelayNanos(1, 0, 0.25)).isEqualTo(250 * MS);
        assertThat(config.computedDelayNanos(1, 0, 0.999)).isEqualTo(999 * MS);
    }

    @Test
    void equalJitterKeepsAtLeastHalfTheDelay() {
        RetryConfig config = config(Backoff.FIXED, Jitter.EQUAL, 1000, 2.0, 10_000);
        assertThat(config.computedDelayNanos(1, 0, 0.0)).isEqualTo(500 * MS);
        assertThat(config.computedDelayNanos(1, 0, 0.5)).isEqualTo(750 * MS);
    }

    @Test
    void decorrelatedJitterGrowsFromThePreviousDelay() {
        RetryConfig config = config(Backoff.EXPONENTIAL, Jitter.DECORRELATED, 100, 2.0, 10_000);
        // First retry: previous is the base, so the range is [100, 300].
        assertThat(config.computedDelayNanos(1, 0, 0.0)).isEqualTo(100 * MS);
        assertThat(config.computedDelayNanos(1, 0, 0.5)).isEqualTo(200 * MS);
        // After a 1 s delay the range is [100, 3000].
        assertThat(config.computedDelayNanos(2, 1000 * MS, 0.5)).isEqualTo(1550 * MS);
        // And it is capped.
        assertThat(config.computedDelayNanos(3, 9000 * MS, 0.9)).isEqualTo(10_000 * MS);
    }

    @Test
    void aZeroDelayStaysZero() {
        for (Backoff backoff : Backoff.values()) {
            for (Jitter jitter : Jitter.values()) {
                assertThat(config(backoff, jitter, 0, 2.0, 0).computedDelayNanos(3, 0, 0.7))
                        .isZero();
            }
        }
    }
}
