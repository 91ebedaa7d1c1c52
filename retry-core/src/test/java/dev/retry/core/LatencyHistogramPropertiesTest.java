package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The laws a percentile read from the histogram obeys, whatever latencies were recorded. */
class LatencyHistogramPropertiesTest {

    private static final int CASES = 2_000;
    /** The largest latency drawn: about a minute, past the histogram's top bucket's lower edge. */
    private static final long LARGEST_NANOS = (1L << 36) - 1;

    record Recorded(List<Long> latencies, double one, double other) {

        LatencyHistogram histogram() {
            LatencyHistogram histogram = new LatencyHistogram(() -> 0L);
            latencies.forEach(histogram::record);
            return histogram;
        }
    }

    /** Latencies spread over every scale the histogram tracks, from nanoseconds to a minute, and two percentiles. */
    private static Recorded recorded(Generated.Draw draw) {
        List<Long> latencies = draw.listOf(1, 300, () -> draw.anyScaleUpTo(LARGEST_NANOS));
        return new Recorded(latencies, draw.doubleBetween(0, 100), draw.doubleBetween(0, 100));
    }

    @Test
    void aPercentileLiesBetweenTheSmallestAndTheLargestLatencyRecorded() {
        Generated.check(CASES, LatencyHistogramPropertiesTest::recorded, recorded -> {
            long value = recorded.histogram().valueAtPercentile(recorded.one(), 1);
            assertThat(value).isBetween(Collections.min(recorded.latencies()), Collections.max(recorded.latencies()));
        });
    }

    @Test
    void aHigherPercentileIsNeverASmallerLatency() {
        Generated.check(CASES, LatencyHistogramPropertiesTest::recorded, recorded -> {
            LatencyHistogram histogram = recorded.histogram();
            double lower = Math.min(recorded.one(), recorded.other());
            double higher = Math.max(recorded.one(), recorded.other());
            assertThat(histogram.valueAtPercentile(higher, 1))
                    .isGreaterThanOrEqualTo(histogram.valueAtPercentile(lower, 1));
        });
    }

    /**
     * Against the exact percentile, the sample of rank {@code ceil(p / 100 * n)}: never below it, and
     * at most the width of its bucket above it. Percentiles in tenths, as configured (p99.9).
     */
    @Test
    void aPercentileIsNeverBelowTheExactOneAndAtMostOneBucketAbove() {
        Generated.check(CASES, LatencyHistogramPropertiesTest::recorded, recorded -> {
            int tenths = (int) Math.round(recorded.one() * 10);
            List<Long> sorted = recorded.latencies().stream().sorted().toList();
            long rank = BigDecimal.valueOf(tenths)
                    .multiply(BigDecimal.valueOf(sorted.size()))
                    .divide(BigDecimal.valueOf(1000), 0, RoundingMode.CEILING)
                    .longValue();
            long exact = sorted.get((int) Math.max(0, rank - 1));

            long value = recorded.histogram().valueAtPercentile(tenths / 10.0, 1);

            assertThat(value)
                    .as("p%s", tenths / 10.0)
                    .isGreaterThanOrEqualTo(exact)
                    .isLessThanOrEqualTo(LatencyHistogram.highestNanos(LatencyHistogram.bucketOf(exact)))
                    .isLessThanOrEqualTo(exact + exact / 16 + 1024);
        });
    }

    @Test
    void theCountIsTheNumberOfLatenciesRecorded() {
        Generated.check(
                CASES,
                LatencyHistogramPropertiesTest::recorded,
                recorded -> assertThat(recorded.histogram().count())
                        .isEqualTo(recorded.latencies().size()));
    }

    @Test
    void everyLatencyFallsInTheBucketWhoseEdgesHoldIt() {
        Generated.check(CASES, draw -> draw.anyScaleUpTo(LARGEST_NANOS), latency -> {
            int bucket = LatencyHistogram.bucketOf(latency);
            assertThat(latency).isBetween(LatencyHistogram.lowestNanos(bucket), LatencyHistogram.highestNanos(bucket));
        });
    }

    record Ranked(int total, double one, double other) {}

    @Test
    void theRankOfAPercentileNeverFallsAsThePercentileRises() {
        Generated.check(
                CASES * 10,
                draw -> new Ranked(
                        (int) Math.max(1, draw.anyScaleUpTo(1_000_000)),
                        draw.doubleBetween(0, 100),
                        draw.doubleBetween(0, 100)),
                ranked -> {
                    long lower = LatencyHistogram.rank(Math.min(ranked.one(), ranked.other()), ranked.total());
                    long higher = LatencyHistogram.rank(Math.max(ranked.one(), ranked.other()), ranked.total());
                    assertThat(lower).isBetween(1L, higher);
                    assertThat(higher).isLessThanOrEqualTo(ranked.total());
                });
    }
}
