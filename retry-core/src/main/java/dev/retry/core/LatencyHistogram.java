package dev.retry.core;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The latencies a hedging policy has seen lately, counted so that any percentile of them can be
 * read back; what an adaptive {@link HedgePolicy} waits for before it hedges.
 *
 * <p>It counts what it is given and nothing else. The policy gives it one latency per call: the
 * primary attempt's, or, when a hedge won and the primary was cancelled, the time the primary had
 * run, which is less than its latency but more than the delay. The percentiles read back are
 * those of these values, with the error bounds below; why they are the right values to learn the
 * delay from, and why they do not let hedging drag its own delay down, is told in {@link
 * HedgePolicy}.
 *
 * <h2>Buckets: bounded memory, bounded error</h2>
 *
 * <p>Latencies are counted, never stored, in log-linear buckets. A latency is first coarsened to
 * units of 1024 ns (about a microsecond: no hedge is worth waiting less for). Below 16 units every
 * unit has a bucket of its own; above, each power of two is split into 16 buckets of equal width,
 * so a bucket is never wider than a sixteenth of the smallest value it holds. That is why a
 * percentile read back is never below the exact one and at most 6.25 % (plus one unit) above it,
 * whatever the spread of the latencies, while the whole range up to 2<sup>36</sup> ns (about
 * 69 s; longer latencies count as that) takes {@value #BUCKETS} counters. The upper edge of a
 * bucket is what is reported, so a hedge waits a little longer rather than a little shorter than
 * the percentile asked for; it is then clamped between the smallest and the largest latency
 * recorded, so that it never names a latency nobody saw.
 *
 * <h2>Window: recent means the last ten seconds</h2>
 *
 * <p>A service's latency moves (a deploy, a cold cache, a slow neighbour), and the delay must move
 * with it, so only the last {@value #WINDOW_SECONDS} seconds count, the span the retry and hedge
 * budgets use. The window is a ring of {@value #SLICES} slices of {@value #SLICE_SECONDS} seconds;
 * a slice whose time has passed is replaced by a fresh one by whoever records into its place first,
 * and a reader simply skips slices that have left the window. The window thus covers between
 * eight and ten seconds, and old latencies leave it two seconds at a time.
 *
 * <h2>Concurrency: lock-free, and nothing lost</h2>
 *
 * <p>Recording is one atomic increment of a bucket, plus a compare-and-set on the slice's minimum
 * or maximum in the rare case it moves. A slice is replaced by a compare-and-set of its reference,
 * so two threads that both find it stale agree on one fresh slice. A sample could be lost only by
 * a thread that stalls between reading a slice and counting into it for as long as the slice takes
 * to come round again (ten seconds); concurrent recording otherwise loses nothing. A reader sums
 * the live slices without stopping writers: it may miss samples recorded while it reads, never
 * count one twice nor see a torn count.
 *
 * <p>Reading walks every bucket of every slice, about two thousand reads, so the policy reads a
 * percentile at most once per refresh interval and caches it; recording is what the call path does.
 */
final class LatencyHistogram {

    static final int SLICES = 5;
    static final int SLICE_SECONDS = 2;
    static final int WINDOW_SECONDS = SLICES * SLICE_SECONDS;

    /** The largest latency told apart from longer ones: 2^36 - 1 ns, about 69 s. */
    static final long MAX_TRACKABLE_NANOS = (1L << 36) - 1;

    private static final long SLICE_NANOS = SLICE_SECONDS * 1_000_000_000L;
    private static final int UNIT_SHIFT = 10;
    private static final int SUB_BUCKET_BITS = 4;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;

    /** How many buckets cover {@code 0 .. MAX_TRACKABLE_NANOS}. */
    static final int BUCKETS = 368;

    /** A slice's cells: the buckets, then its smallest and its largest latency. */
    private static final int MIN_CELL = BUCKETS;

    private static final int MAX_CELL = BUCKETS + 1;

    private final Ticker ticker;
    private final long origin;
    private final AtomicReferenceArray<Slice> slices = new AtomicReferenceArray<>(SLICES);

    LatencyHistogram(Ticker ticker) {
        this.ticker = ticker;
        this.origin = ticker.nanoTime();
    }

    /** Counts one latency; negative ones count as zero, those beyond the range as its end. */
    void record(long nanos) {
        long value = clamp(nanos, 0L, MAX_TRACKABLE_NANOS);
        AtomicLongArray cells = sliceFor(currentSlice()).cells;
        cells.getAndIncrement(bucketOf(value));
        lower(cells, MIN_CELL, value);
        raise(cells, MAX_CELL, value);
    }

    /** The latencies in the window. */
    long count() {
        long now = currentSlice();
        long total = 0;
        for (int i = 0; i < SLICES; i++) {
            Slice slice = live(slices.get(i), now);
            if (slice != null) {
                for (int bucket = 0; bucket < BUCKETS; bucket++) {
                    total += slice.cells.get(bucket);
                }
            }
        }
        return total;
    }

    /**
     * The latency that {@code percentile} percent of those in the window do not exceed: the upper
     * edge of the bucket holding the sample of rank {@code ceil(percentile / 100 * count)}, clamped
     * between the smallest and the largest latency recorded.
     *
     * @param percentile from 0 to 100
     * @param minSamples the fewest latencies the window must hold for an answer
     * @return the latency in nanoseconds, or -1 when the window holds fewer than {@code minSamples}
     *     latencies (or none at all)
     */
    long valueAtPercentile(double percentile, long minSamples) {
        long now = currentSlice();
        Slice[] live = new Slice[SLICES];
        long total = 0;
        long min = Long.MAX_VALUE;
        long max = -1;
        for (int i = 0; i < SLICES; i++) {
            Slice slice = live(slices.get(i), now);
            if (slice != null) {
                live[i] = slice;
                for (int bucket = 0; bucket < BUCKETS; bucket++) {
                    total += slice.cells.get(bucket);
                }
                min = Math.min(min, slice.cells.get(MIN_CELL));
                max = Math.max(max, slice.cells.get(MAX_CELL));
            }
        }
        if (total == 0 || total < minSamples) {
            return -1;
        }
        long rank = rank(percentile, total);
        long seen = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            for (Slice slice : live) {
                if (slice != null) {
                    seen += slice.cells.get(bucket);
                }
            }
            // Counts only grow, so this pass reaches the rank no later than the first pass implied.
            if (seen >= rank) {
                // min > max only while the one sample so far is counted but its extremes not yet set.
                return min <= max ? clamp(highestNanos(bucket), min, max) : highestNanos(bucket);
            }
        }
        return max;
    }

    /**
     * The 1-based rank of the sample at {@code percentile} among {@code total}. The product is
     * shrunk by a relative 1e-12 before rounding up, so that p99.9 of 1000 samples is the 999th
     * despite the binary error in 99.9; the result stays monotone in the percentile.
     */
    static long rank(double percentile, long total) {
        double exact = percentile * total / 100.0;
        long rank = (long) Math.ceil(exact * (1.0 - 1e-12));
        return clamp(rank, 1L, total);
    }

    /** The bucket that counts a latency of {@code nanos}, which must lie within the trackable range. */
    static int bucketOf(long nanos) {
        long units = nanos >>> UNIT_SHIFT;
        if (units < SUB_BUCKETS) {
            return (int) units;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(units);
        int group = exponent - SUB_BUCKET_BITS + 1;
        int offset = (int) (units >>> (exponent - SUB_BUCKET_BITS)) - SUB_BUCKETS;
        return group * SUB_BUCKETS + offset;
    }

    /** The smallest latency, in nanoseconds, that {@code bucket} counts. */
    static long lowestNanos(int bucket) {
        return lowestUnits(bucket) << UNIT_SHIFT;
    }

    /** The largest latency, in nanoseconds, that {@code bucket} counts. */
    static long highestNanos(int bucket) {
        return ((lowestUnits(bucket) + widthUnits(bucket)) << UNIT_SHIFT) - 1;
    }

    private static long lowestUnits(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int group = bucket / SUB_BUCKETS;
        return (long) (SUB_BUCKETS + bucket % SUB_BUCKETS) << (group - 1);
    }

    private static long widthUnits(int bucket) {
        return bucket < SUB_BUCKETS ? 1L : 1L << (bucket / SUB_BUCKETS - 1);
    }

    private long currentSlice() {
        return Math.floorDiv(ticker.nanoTime() - origin, SLICE_NANOS);
    }

    /** The slice counting for {@code index}, put in place of an older one if need be. */
    private Slice sliceFor(long index) {
        int position = (int) Math.floorMod(index, (long) SLICES);
        Slice fresh = null;
        while (true) {
            Slice slice = slices.get(position);
            // A newer slice than ours (our clock reading lagged another thread's) is counted into as it is.
            if (slice != null && slice.index >= index) {
                return slice;
            }
            if (fresh == null) {
                fresh = new Slice(index);
            }
            if (slices.compareAndSet(position, slice, fresh)) {
                return fresh;
            }
        }
    }

    private static @Nullable Slice live(@Nullable Slice slice, long now) {
        return slice != null && slice.index > now - SLICES ? slice : null;
    }

    private static void lower(AtomicLongArray cells, int cell, long value) {
        long current;
        while (value < (current = cells.get(cell))) {
            if (cells.compareAndSet(cell, current, value)) {
                return;
            }
        }
    }

    private static void raise(AtomicLongArray cells, int cell, long value) {
        long current;
        while (value > (current = cells.get(cell))) {
            if (cells.compareAndSet(cell, current, value)) {
                return;
            }
        }
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }

    /** The counts of one slice of time; replaced whole when its time has passed, never reset. */
    private static final class Slice {

        final long index;
        final AtomicLongArray cells = new AtomicLongArray(BUCKETS + 2);

        Slice(long index) {
            this.index = index;
            // Published by the compare-and-set that puts the slice in place, after this write.
            cells.set(MIN_CELL, Long.MAX_VALUE);
        }
    }

    @Override
    public String toString() {
        return "LatencyHistogram[count=" + count() + "]";
    }
}
