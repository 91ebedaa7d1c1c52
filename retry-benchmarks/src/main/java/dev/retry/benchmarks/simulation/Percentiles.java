package dev.retry.benchmarks.simulation;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of latencies, read once the run is over. */
final class Percentiles {

    private final long[] sorted;

    Percentiles(long[] values, int count) {
        this.sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
    }

    /** The smallest value that at least {@code percent} % of the values do not exceed. */
    long at(double percent) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }
}
