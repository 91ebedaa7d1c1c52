package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The laws a percentile read from the histogram obeys, whatever latencies were recorded. */
class LatencyHistogramPropertiesTest {

    /** Latencies spread over every scale the histogram tracks, from nanoseconds to a minute. */
    @Provide
    Arbitrary<List<Long>> latencies() {
        Arbitrary<Long> latency = Arbitraries.integers().between(0, 36)
                .flatMap(bits -> Arbitraries.longs().between(0, (1L << bits) - 1));
        return latency.list().ofMinSize(1).ofMaxSize(300);
    }

    private static LatencyHistogram histogramOf(List<Long> latencies) {
        LatencyHistogram histogram = new LatencyHistogram(() -> 0L);
        latencies.forEach(histogram::record);
        return histogram;
    }

    @Property
    void aPercentileLiesBetweenTheSmallestAndTheLargestLatencyRecorded(@ForAll("latencies") List<Long> latencies,
            @ForAll @DoubleRange(min = 0, max = 100) double percentile) {
        long value = histogramOf(latencies).valueAtPercentile(percentile, 1);
        assertThat(value).isBetween(Collections.min(latencies), Collections.max(latencies));
    }

    @Property
    void aHigherPercentileIsNeverASmallerLatency(@ForAll("latencies") List<Long> latencies,
            @ForAll @DoubleRange(min = 0, max = 100) double one, @ForAll @DoubleRange(min = 0, max = 100) double other) {
        LatencyHistogram histogram = histogramOf(latencies);
        double lower = Math.min(one, other);
        double higher = Math.max(one, other);
        assertThat(histogram.valueAtPercentile(higher, 1)).isGreaterThanOrEqualTo(histogram.valueAtPercentile(lower, 1));
    }

    /**
     * Against the exact percentile, the sample of rank {@code ceil(p / 100 * n)}: never below it, and
     * at most the width of its bucket above it. Percentiles in tenths, as configured (p99.9).
     */
    @Property
    void aPercentileIsNeverBelowTheExactOneAndAtMostOneBucketAbove(@ForAll("latencies") List<Long> latencies,
            @ForAll @IntRange(min = 0, max = 1000) int tenths) {
        double percentile = tenths / 10.0;
        List<Long> sorted = latencies.stream().sorted().toList();
        long rank = BigDecimal.valueOf(tenths).multiply(BigDecimal.valueOf(sorted.size()))
                .divide(BigDecimal.valueOf(1000), 0, RoundingMode.CEILING).longValue();
        long exact = sorted.get((int) Math.max(0, rank - 1));

        long value = histogramOf(latencies).valueAtPercentile(percentile, 1);

        assertThat(value).isGreaterThanOrEqualTo(exact)
                .isLessThanOrEqualTo(LatencyHistogram.highestNanos(LatencyHistogram.bucketOf(exact)))
                .isLessThanOrEqualTo(exact + exact / 16 + 1024);
    }

    @Property
    void theCountIsTheNumberOfLatenciesRecorded(@ForAll("latencies") List<Long> latencies) {
        assertThat(histogramOf(latencies).count()).isEqualTo(latencies.size());
    }

    @Property
    void everyLatencyFallsInTheBucketWhoseEdgesHoldIt(@ForAll("latencies") List<Long> latencies) {
        for (long latency : latencies) {
            int bucket = LatencyHistogram.bucketOf(latency);
            assertThat(latency).isBetween(LatencyHistogram.lowestNanos(bucket), LatencyHistogram.highestNanos(bucket));
        }
    }

    @Property
    void theRankOfAPercentileNeverFallsAsThePercentileRises(@ForAll @IntRange(min = 1, max = 1_000_000) int total,
            @ForAll @DoubleRange(min = 0, max = 100) double one, @ForAll @DoubleRange(min = 0, max = 100) double other) {
        long lower = LatencyHistogram.rank(Math.min(one, other), total);
        long higher = LatencyHistogram.rank(Math.max(one, other), total);
        assertThat(lower).isBetween(1L, higher);
        assertThat(higher).isLessThanOrEqualTo(total);
    }
}
