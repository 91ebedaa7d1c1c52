package dev.retry.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A limit on hedges shared by every call of one hedging policy, so that hedging cannot double the
 * load on a service just when the whole service slows down.
 *
 * <h2>The rule</h2>
 *
 * <p>Over a sliding window of the last {@value #WINDOW_SECONDS} seconds, hedges may number at most
 * {@code ratio * calls}, where {@code calls} counts the policy's calls (primary attempts) in the
 * same window. Hedging is meant to cut the tail of the latency: with a delay at the 95th
 * percentile about one call in twenty hedges, and a ratio of 0.05 lets exactly that through. When
 * every call turns slow, every call would hedge; the budget then keeps the extra load at 5 %. There
 * is no floor: a policy with fewer than {@code 1 / ratio} calls in the window does not hedge, which
 * is cheap caution on a service that is barely called.
 *
 * <h2>How it is counted</h2>
 *
 * <p>The same way as {@link RetryBudget}, and for the same reasons: each count is a ring of
 * {@value #WINDOW_SECONDS} per-second buckets, each bucket one {@code long} holding the second it
 * counts for and its count, reset and counted in one compare-and-set. A hedge is granted
 * optimistically (counted, then taken back if the window is over its allowance), so the hedges
 * granted in a window never exceed it, even under concurrent callers; two threads racing for the
 * last hedge may both give it up, which at the limit errs toward less load.
 */
public final class HedgeBudget {

    /** The length of the sliding window, in seconds. */
    public static final int WINDOW_SECONDS = 10;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long COUNT_MASK = 0xFFFF_FFFFL;

    private final double ratio;
    private final Ticker ticker;
    private final long origin;
    private final AtomicLongArray calls = new AtomicLongArray(WINDOW_SECONDS);
    private final AtomicLongArray hedges = new AtomicLongArray(WINDOW_SECONDS);

    HedgeBudget(double ratio, Ticker ticker) {
        this.ratio = ratio;
        this.ticker = ticker;
        this.origin = ticker.nanoTime();
    }

    /** Hedges allowed per call in the window. */
    public double ratio() {
        return ratio;
    }

    /** Calls counted in the current window. */
    public long callsInWindow() {
        return sum(calls, currentSecond());
    }

    /** Hedges granted in the current window. */
    public long hedgesInWindow() {
        return sum(hedges, currentSecond());
    }

    /** How many more hedges the current window would grant now. */
    public long remainingHedges() {
        long second = currentSecond();
        return Math.max(0, allowance(sum(calls, second)) - sum(hedges, second));
    }

    /** Counts one call; its primary attempt is never subject to the budget. */
    void recordCall() {
        increment(calls, currentSecond());
    }

    /** Grants one hedge if the window allows it, counting it; otherwise counts nothing. */
    boolean tryAcquireHedge() {
        long second = currentSecond();
        increment(hedges, second);
        if (sum(hedges, second) <= allowance(sum(calls, second))) {
            return true;
        }
        decrement(hedges, second);
        return false;
    }

    private long allowance(long callsInWindow) {
        return (long) (ratio * callsInWindow);
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

    @Override
    public String toString() {
        return "HedgeBudget[ratio=" + ratio + "]";
    }
}
