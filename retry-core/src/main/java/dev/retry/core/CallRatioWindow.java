package dev.retry.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts calls and the extra attempts they caused (retries, hedges) over a sliding window of
 * {@value #WINDOW_SECONDS} seconds, and grants an extra attempt only while extras stay within
 * {@code ratio * calls + floor}. The counting behind {@link RetryBudget} and {@link HedgeBudget}.
 *
 * <p>Each count is a ring of one bucket per second. A bucket is a single {@code long} holding both
 * the second it counts for (high 32 bits) and its count (low 32 bits), so a thread that finds a
 * bucket left over from an older second resets and counts it in one compare-and-set. Nothing is
 * ever locked, memory does not depend on the call rate, and a window is summed by reading ten longs.
 *
 * <p>An extra is granted optimistically: the thread counts it first, then sums the window and takes
 * it back if the sum is over the allowance. Whoever checks last sees every extra granted before it,
 * so the extras granted in a window never exceed the allowance, even while the window slides under
 * concurrent callers. The price is that two threads racing for the very last extra may both give it
 * up; at the limit, erring towards less load is the point.
 */
final class CallRatioWindow {

    static final int WINDOW_SECONDS = 10;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long COUNT_MASK = 0xFFFF_FFFFL;

    private final double ratio;
    private final long floor;
    private final Ticker ticker;
    private final long origin;
    private final AtomicLongArray calls = new AtomicLongArray(WINDOW_SECONDS);
    private final AtomicLongArray extras = new AtomicLongArray(WINDOW_SECONDS);

    /**
     * @param ratio extras allowed per call in the window
     * @param floor extras allowed per window whatever the call rate
     */
    CallRatioWindow(double ratio, long floor, Ticker ticker) {
        this.ratio = ratio;
        this.floor = floor;
        this.ticker = ticker;
        this.origin = ticker.nanoTime();
    }

    void recordCall() {
        increment(calls, currentSecond());
    }

    /** Grants one extra attempt if the window allows it, counting it; otherwise counts nothing. */
    boolean tryAcquireExtra() {
        long second = currentSecond();
        increment(extras, second);
        if (sum(extras, second) <= allowance(sum(calls, second))) {
            return true;
        }
        decrement(extras, second);
        return false;
    }

    long callsInWindow() {
        return sum(calls, currentSecond());
    }

    long extrasInWindow() {
        return sum(extras, currentSecond());
    }

    long remainingExtras() {
        long second = currentSecond();
        return Math.max(0, allowance(sum(calls, second)) - sum(extras, second));
    }

    private long allowance(long callsInWindow) {
        return (long) (ratio * callsInWindow) + floor;
    }

    private long currentSecond() {
        return (ticker.nanoTime() - origin) / NANOS_PER_SECOND;
    }

    /** The second a bucket counts for is stored plus one, so that an untouched bucket (0) is empty. */
    private static long pack(long second, long count) {
        return ((second + 1) << 32) | count;
    }

    private static long secondOf(long bucket) {
        return (bucket >>> 32) - 1;
    }

    private static void increment(AtomicLongArray ring, long second) {
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

    private static void decrement(AtomicLongArray ring, long second) {
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

    private static long sum(AtomicLongArray ring, long second) {
        long total = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            long bucket = ring.get(i);
            if (secondOf(bucket) > second - WINDOW_SECONDS) {
                total += bucket & COUNT_MASK;
            }
        }
        return total;
    }
}
