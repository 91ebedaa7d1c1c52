package dev.retry.core;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A limit on retries shared by every call of one policy, so that retrying can never multiply the
 * load on a service that is already failing.
 *
 * <h2>The rule</h2>
 *
 * <p>Over a sliding window of the last {@value #WINDOW_SECONDS} seconds, retries may number at
 * most {@code ratio * calls + minRetriesPerSecond * }{@value #WINDOW_SECONDS}, where {@code calls}
 * counts logical calls (first attempts) in the same window. With a ratio of 0.1, a service in a
 * full outage sees at most 1.1 times the load its clients would put on it without any retry, where
 * three attempts per call would triple it. The floor keeps retries possible for a policy that is
 * called rarely, where a ratio of a few calls would round down to none.
 *
 * <h2>How it is counted</h2>
 *
 * <p>Each of the two counts (calls and retries) is a ring of {@value #WINDOW_SECONDS} buckets,
 * one per second. A bucket is a single {@code long} holding both the second it counts for (high 32
 * bits) and its count (low 32 bits), so a thread that finds a bucket left over from an older second
 * resets and counts it in one compare-and-set. Nothing is ever locked, memory does not depend on
 * the call rate, and a window is summed by reading ten longs.
 *
 * <p>A retry is granted optimistically: the thread counts its retry first, then sums the window
 * and takes the retry back if the sum is over the allowance. Whoever checks last sees every retry
 * that was granted before it, so the number granted in a window can never exceed the allowance,
 * even while the window slides under concurrent callers. The price is that two threads racing for
 * the very last retry may both give it up; at the limit, erring towards less load is the point.
 */
public final class RetryBudget {

    /** The length of the sliding window, in seconds. */
    public static final int WINDOW_SECONDS = 10;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long COUNT_MASK = 0xFFFF_FFFFL;

    private final double ratio;
    private final int minRetriesPerSecond;
    private final Ticker ticker;
    private final long origin;
    private final AtomicLongArray calls = new AtomicLongArray(WINDOW_SECONDS);
    private final AtomicLongArray retries = new AtomicLongArray(WINDOW_SECONDS);

    RetryBudget(double ratio, int minRetriesPerSecond, Ticker ticker) {
        this.ratio = ratio;
        this.minRetriesPerSecond = minRetriesPerSecond;
        this.ticker = ticker;
        this.origin = ticker.nanoTime();
    }

    /**
     * A budget to share between policies with {@link RetryPolicyBuilder#sharedBudget}.
     *
     * @param ratio retries allowed per call over the window: a finite number above 0
     * @param minRetriesPerSecond the floor: zero or more
     * @param ticker the clock that slides the window
     */
    public static RetryBudget create(double ratio, int minRetriesPerSecond, Ticker ticker) {
        if (!(ratio > 0.0) || Double.isInfinite(ratio)) {
            throw new IllegalArgumentException("budget ratio must be a finite number above 0.0, but was " + ratio);
        }
        if (minRetriesPerSecond < 0) {
            throw new IllegalArgumentException(
                    "budget minRetriesPerSecond must be 0 or more, but was " + minRetriesPerSecond);
        }
        return new RetryBudget(ratio, minRetriesPerSecond, java.util.Objects.requireNonNull(ticker, "ticker must not be null"));
    }

    /** Retries allowed per call in the window, on top of the floor. */
    public double ratio() {
        return ratio;
    }

    /** Retries per second allowed whatever the call rate. */
    public int minRetriesPerSecond() {
        return minRetriesPerSecond;
    }

    /** Calls counted in the current window. */
    public long callsInWindow() {
        return sum(calls, currentSecond());
    }

    /** Retries granted in the current window. */
    public long retriesInWindow() {
        return sum(retries, currentSecond());
    }

    /** How many more retries the current window would grant now. */
    public long remainingRetries() {
        long second = currentSecond();
        return Math.max(0, allowance(sum(calls, second)) - sum(retries, second));
    }

    /** Counts one logical call; its first attempt is never subject to the budget. */
    void recordCall() {
        increment(calls, currentSecond());
    }

    /** Grants one retry if the window allows it, counting it; otherwise counts nothing. */
    boolean tryAcquireRetry() {
        long second = currentSecond();
        increment(retries, second);
        if (sum(retries, second) <= allowance(sum(calls, second))) {
            return true;
        }
        decrement(retries, second);
        return false;
    }

    private long allowance(long callsInWindow) {
        return (long) (ratio * callsInWindow) + (long) minRetriesPerSecond * WINDOW_SECONDS;
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
        return "RetryBudget[ratio=" + ratio + ", minRetriesPerSecond=" + minRetriesPerSecond + "]";
    }
}
