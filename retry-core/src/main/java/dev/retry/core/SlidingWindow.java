package dev.retry.core;

/**
 * The recent calls a closed circuit breaker judges: the last N calls ({@link CountWindow}), or the
 * calls of the last N seconds ({@link TimeWindow}). Recording is lock-free and, but for a time
 * window's one small object per second, allocates nothing.
 *
 * <p>A count window and the half-open trials pack their counts into one {@code long}, so that a
 * reader sees calls, failures and slow calls that belong together: calls in the low 22 bits,
 * failures in the next 21, slow calls in the top 21 (up to about two million each, above any count
 * window the builder accepts). A time window holds as many calls as arrive in its seconds and so
 * counts with full {@code long}s instead.
 */
abstract class SlidingWindow {

    static final int FAILURE_SHIFT = 22;
    static final int SLOW_SHIFT = 43;
    static final long CALLS_MASK = (1L << FAILURE_SHIFT) - 1;
    static final long FAILURES_MASK = (1L << (SLOW_SHIFT - FAILURE_SHIFT)) - 1;

    /** The calls in a window at one moment; for snapshots, which may allocate. */
    record Counts(long calls, long failures, long slowCalls) {

        static Counts unpack(long packed) {
            return new Counts(
                    SlidingWindow.calls(packed), SlidingWindow.failures(packed), SlidingWindow.slowCalls(packed));
        }
    }

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

    /**
     * Records one call that ended at {@code nowNanos}; returns whether the window then holds at
     * least {@code minimumCalls} calls and either rate has reached its threshold (in percent).
     */
    abstract boolean recordAndJudge(
            boolean failed,
            boolean slow,
            long nowNanos,
            int minimumCalls,
            float failureRateThreshold,
            float slowCallRateThreshold);

    /** The calls in the window at {@code nowNanos}. */
    abstract Counts counts(long nowNanos);

    /** {@link #exceeds(long, long, long, int, float, float)} of packed counts. */
    static boolean exceeds(long totals, int minimumCalls, float failureRateThreshold, float slowCallRateThreshold) {
        return exceeds(
                calls(totals),
                failures(totals),
                slowCalls(totals),
                minimumCalls,
                failureRateThreshold,
                slowCallRateThreshold);
    }

    /**
     * Whether {@code calls} are at least {@code minimumCalls} and either rate has reached its
     * threshold (in percent). Exact for any count below 2^53.
     */
    static boolean exceeds(
            long calls,
            long failures,
            long slowCalls,
            int minimumCalls,
            float failureRateThreshold,
            float slowCallRateThreshold) {
        if (calls == 0 || calls < minimumCalls) {
            return false;
        }
        return failures * 100.0 >= failureRateThreshold * (double) calls
                || slowCalls * 100.0 >= slowCallRateThreshold * (double) calls;
    }

    /** A rate in percent, or -1 below {@code minimumCalls}. */
    static float rate(long part, long calls, int minimumCalls) {
        if (calls == 0 || calls < minimumCalls) {
            return -1f;
        }
        return (float) (part * 100.0 / calls);
    }
}
