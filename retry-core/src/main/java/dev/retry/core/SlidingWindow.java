package dev.retry.core;

/**
 * The recent calls a closed circuit breaker judges: the last N calls, or the calls of the last N
 * seconds. Recording is lock-free and allocates nothing per call.
 *
 * <p>Counts are packed into one {@code long}, so that a reader sees calls, failures and slow calls
 * that belong together: calls in the low 22 bits, failures in the next 21, slow calls in the top
 * 21 (up to about two million each, far above any window size the builder accepts).
 */
abstract class SlidingWindow {

    static final int FAILURE_SHIFT = 22;
    static final int SLOW_SHIFT = 43;
    static final long CALLS_MASK = (1L << FAILURE_SHIFT) - 1;
    static final long FAILURES_MASK = (1L << (SLOW_SHIFT - FAILURE_SHIFT)) - 1;

    /** The packed counts of one call. */
    static long one(boolean failed, boolean slow) {
        return 1L | (failed ? 1L << FAILURE_SHIFT : 0L) | (slow ? 1L << SLOW_SHIFT : 0L);
    }

    static int calls(long packed) {
        return (int) (packed & CALLS_MASK);
    }

    static int failures(long packed) {
        return (int) ((packed >>> FAILURE_SHIFT) & FAILURES_MASK);
    }

    static int slowCalls(long packed) {
        return (int) (packed >>> SLOW_SHIFT);
    }

    /** Records one call that ended at {@code nowNanos}; returns the packed counts it leaves. */
    abstract long record(boolean failed, boolean slow, long nowNanos);

    /** The packed counts of the calls in the window at {@code nowNanos}. */
    abstract long totals(long nowNanos);

    /**
     * Whether the window holds at least {@code minimumCalls} calls and either rate has reached its
     * threshold (in percent).
     */
    static boolean exceeds(long totals, int minimumCalls, float failureRateThreshold, float slowCallRateThreshold) {
        int calls = calls(totals);
        if (calls == 0 || calls < minimumCalls) {
            return false;
        }
        return failures(totals) * 100.0 >= failureRateThreshold * (double) calls
                || slowCalls(totals) * 100.0 >= slowCallRateThreshold * (double) calls;
    }

    /** A rate in percent, or -1 below {@code minimumCalls}. */
    static float rate(int part, int calls, int minimumCalls) {
        if (calls == 0 || calls < minimumCalls) {
            return -1f;
        }
        return part * 100f / calls;
    }
}
