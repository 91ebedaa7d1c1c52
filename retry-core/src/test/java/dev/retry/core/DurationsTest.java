package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every duration option is held in nanoseconds; one longer than a {@code long} of nanoseconds can
 * hold (about 292 years, which users write for "no limit") must saturate rather than overflow or
 * throw at start-up.
 */
class DurationsTest {

    @Test
    void aDurationJustBeyondTheLargestNanosecondCountSaturatesInsteadOfThrowing() {
        long wholeSeconds = Long.MAX_VALUE / 1_000_000_000L; // 9,223,372,036 s and 854,775,807 ns fit
        assertThat(Durations.toNanosSaturated(Duration.ofSeconds(wholeSeconds, 900_000_000)))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(Durations.toNanosSaturated(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)))
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aNegativeDurationBeyondTheRangeSaturatesAtTheMostNegativeCount() {
        assertThat(Durations.toNanosSaturated(Duration.ofSeconds(Long.MIN_VALUE / 2)))
                .isEqualTo(Long.MIN_VALUE);
        assertThat(Durations.toNanosSaturated(Duration.ofSeconds(Long.MIN_VALUE)))
                .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void durationsWithinTheRangeAreExact() {
        assertThat(Durations.toNanosSaturated(Duration.ofSeconds(9_000_000_000L, 123)))
                .isEqualTo(9_000_000_000_000_000_123L);
        assertThat(Durations.toNanosSaturated(Duration.ofNanos(-1))).isEqualTo(-1);
        assertThat(Durations.toNanosSaturated(Duration.ZERO)).isZero();
    }
}
