package dev.retry.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One count over a sliding window of {@value #WINDOW_SECONDS} seconds, kept lock-free in a ring of
 * one bucket per second: what {@link CallRatioWindow} and {@link AdaptiveRetry} count with.
 *
 * <p>A bucket is a single {@code long} holding both the second it counts for (high 32 bits) and its
 * count (low 32 bits), so a thread that finds a bucket left over from an older second resets and
 * counts it in one compare-and-set. Nothing is ever locked or allocated, memory does not depend on
 * the call rate, and the window is summed by reading ten longs.
 *
 * <p>The caller says which second it is (seconds since an origin of its choosing, never negative),
 * so that several counts read against one clock reading agree on the window.
 */
final class RollingCount {

    static final int WINDOW_SECONDS = 10;

    private static final long COUNT_MASK = 0xFFFF_FFFFL;

    private final AtomicLongArray ring = new AtomicLongArray(WINDOW_SECONDS);

    /** Counts one event in {@code second}. */
    void increment(long second) {
        int index = (int) (second % WINDOW_SECONDS);
        while (true) {
            long bucket = ring.get(index);
            // A bucket from an older second is reset; one from a newer second (a thread whose clock
            // reading is a little older than another's) is counted into as it is.
            long next = secondOf(bucket) < second ? pack(second, 1) : bucket + 1;
            if (ring.compareAndSet(index, bucket, next)) {
                return;
            }
        }
    }

    /** Takes back one event counted in {@code second}, unless its bucket has moved on since. */
    void decrement(long second) {
        int index = (int) (second % WINDOW_SECONDS);
        while (true) {
            long bucket = ring.get(index);
            if (secondOf(bucket) != second || (bucket & COUNT_MASK) == 0) {
                return; // the bucket has moved on to a newer second, taking our count with it
            }
            if (ring.compareAndSet(index, bucket, bucket - 1)) {
                return;
            }
        }
    }

    /** The events of the window that ends with {@code second}, that second included. */
    long sum(long second) {
        long total = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            long bucket = ring.get(i);
            if (secondOf(bucket) > second - WINDOW_SECONDS) {
                total += bucket & COUNT_MASK;
            }
        }
        return total;
    }

    /** The second a bucket counts for is stored plus one, so that an untouched bucket (0) is empty. */
    private static long pack(long second, long count) {
        return ((second + 1) << 32) | count;
    }

    private static long secondOf(long bucket) {
        return (bucket >>> 32) - 1;
    }
}
