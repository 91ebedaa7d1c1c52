package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The latency histogram: its buckets, its window, and recording from many threads at once. */
class LatencyHistogramTest {

    private static final long MS = 1_000_000L;

    private final VirtualClock time = new VirtualClock();

    @Test
    void theBucketsTileTheWholeRangeWithoutGapsOrOverlap() {
        assertThat(LatencyHistogram.lowestNanos(0)).isZero();
        for (int bucket = 0; bucket < LatencyHistogram.BUCKETS; bucket++) {
            long lowest = LatencyHistogram.lowestNanos(bucket);
            long highest = LatencyHistogram.highestNanos(bucket);
            assertThat(LatencyHistogram.bucketOf(lowest))
                    .as("lowest of %d", bucket)
                    .isEqualTo(bucket);
            assertThat(LatencyHistogram.bucketOf(highest))
                    .as("highest of %d", bucket)
                    .isEqualTo(bucket);
            if (bucket + 1 < LatencyHistogram.BUCKETS) {
                assertThat(LatencyHistogram.lowestNanos(bucket + 1)).isEqualTo(highest + 1);
            }
            // Never wider than a sixteenth of its smallest value, or one unit of 1024 ns.
            assertThat(highest - lowest + 1).isLessThanOrEqualTo(Math.max(1024, lowest / 16));
        }
        assertThat(LatencyHistogram.highestNanos(LatencyHistogram.BUCKETS - 1))
                .isEqualTo(LatencyHistogram.MAX_TRACKABLE_NANOS);
    }

    @Test
    void anEmptyWindowOrOneWithTooFewLatenciesHasNoPercentile() {
        LatencyHistogram histogram = new LatencyHistogram(time);
        assertThat(histogram.valueAtPercentile(50, 0)).isEqualTo(-1);
        histogram.record(5 * MS);
        assertThat(histogram.valueAtPercentile(50, 2)).isEqualTo(-1);
        histogram.record(7 * MS);
        // The upper edge of the bucket that holds 5 ms, and never beyond the largest latency seen.
        assertThat(histogram.valueAtPercentile(50, 2)).isBetween(5 * MS, 5 * MS + 5 * MS / 16);
        assertThat(histogram.valueAtPercentile(100, 2)).isEqualTo(7 * MS);
    }

    @Test
    void latenciesOutsideTheRangeCountAsItsEnds() {
        LatencyHistogram histogram = new LatencyHistogram(time);
        histogram.record(-5);
        histogram.record(Long.MAX_VALUE);
        assertThat(histogram.count()).isEqualTo(2);
        assertThat(histogram.valueAtPercentile(0, 1))
                .as("the first bucket, 0 .. 1023 ns")
                .isBetween(0L, 1023L);
        assertThat(histogram.valueAtPercentile(100, 1)).isEqualTo(LatencyHistogram.MAX_TRACKABLE_NANOS);
    }

    @Test
    void latenciesLeaveTheWindowTwoSecondsAtATimeAfterEightToTenSeconds() {
        LatencyHistogram histogram = new LatencyHistogram(time);
        histogram.record(1 * MS); // slice 0
        time.advance(Duration.ofMillis(1_999));
        histogram.record(2 * MS); // still slice 0
        time.advance(Duration.ofMillis(1));
        histogram.record(3 * MS); // slice 1
        time.advance(Duration.ofMillis(7_999));
        assertThat(histogram.count()).as("9.999 s in: slice 0 still counts").isEqualTo(3);
        time.advance(Duration.ofMillis(1));
        assertThat(histogram.count()).as("10 s in: slice 0 has left").isEqualTo(1);
        assertThat(histogram.valueAtPercentile(0, 1)).isEqualTo(3 * MS);
        histogram.record(4 * MS); // slice 5 takes the place of slice 0
        assertThat(histogram.count()).isEqualTo(2);
        time.advance(Duration.ofSeconds(2));
        assertThat(histogram.count()).isEqualTo(1);
        assertThat(histogram.valueAtPercentile(50, 1)).isEqualTo(4 * MS);
    }

    @Test
    void manyThreadsRecordingAtOnceLoseNoLatency() throws Exception {
        LatencyHistogram histogram = new LatencyHistogram(time);
        int threads = 8;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        histogram.record((i % 100 + 1) * MS); // 1 ms .. 100 ms, the same for every thread
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(histogram.count()).isEqualTo((long) threads * perThread);
        // Exactly as if one thread had recorded them all: the 90th percentile is 90 ms, within a bucket.
        assertThat(histogram.valueAtPercentile(90, 1)).isBetween(90 * MS, 90 * MS + 90 * MS / 16);
        assertThat(histogram.valueAtPercentile(0, 1)).isBetween(1 * MS, 1 * MS + 1 * MS / 16);
        assertThat(histogram.valueAtPercentile(100, 1)).isEqualTo(100 * MS);
    }

    /**
     * Threads race to replace each slice as the clock moves two seconds between rounds; after every
     * round the window holds exactly the latencies of the rounds still in it.
     */
    @Test
    void threadsRacingToReplaceAnExpiredSliceLoseNoLatencyEither() throws Exception {
        LatencyHistogram histogram = new LatencyHistogram(time);
        int threads = 6;
        int rounds = 30;
        int perRound = 2_000;
        List<Long> countAfterRound = new ArrayList<>();
        CyclicBarrier roundStart = new CyclicBarrier(threads);
        CyclicBarrier roundEnd = new CyclicBarrier(threads, () -> {
            countAfterRound.add(histogram.count());
            time.advance(Duration.ofSeconds(LatencyHistogram.SLICE_SECONDS));
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int round = 0; round < rounds; round++) {
                        roundStart.await();
                        for (int i = 0; i < perRound; i++) {
                            histogram.record(i * 1_000L);
                        }
                        roundEnd.await();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int round = 0; round < rounds; round++) {
            long roundsInWindow = Math.min(round + 1, LatencyHistogram.SLICES);
            assertThat(countAfterRound.get(round))
                    .as("after round %d", round)
                    .isEqualTo(roundsInWindow * threads * perRound);
        }
    }
}
