package dev.retry.core;

/**
 * Counts calls and the extra attempts they caused (retries, hedges) over a sliding window of
 * {@value #WINDOW_SECONDS} seconds, and grants an extra attempt only while extras stay within
 * {@code ratio * calls + floor}. The counting behind {@link RetryBudget} and {@link HedgeBudget}.
 *
 * <p>Each count is a {@link RollingCount}: a lock-free ring of one bucket per second, so nothing is
 * ever locked and memory does not depend on the call rate.
 *
 * <p>An extra is granted optimistically: the thread counts it first, then sums the window and takes
 * it back if the sum is over the allowance. Whoever checks last sees every extra granted before it,
 * so the extras granted in a window never exceed the allowance, even while the window slides under
 * concurrent callers. The price is that two threads racing for the very last extra may both give it
 * up; at the limit, erring towards less load is the point.
 */
final class CallRatioWindow {

    static final int WINDOW_SECONDS = RollingCount.WINDOW_SECONDS;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double ratio;
    private final long floor;
    private final Ticker ticker;
    private final long origin;
    private final RollingCount calls = new RollingCount();
    private final RollingCount extras = new RollingCount();

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
        calls.increment(currentSecond());
    }

    /** Grants one extra attempt if the window allows it, counting it; otherwise counts nothing. */
    boolean tryAcquireExtra() {
        long second = currentSecond();
        extras.increment(second);
        if (extras.sum(second) <= allowance(calls.sum(second))) {
            return true;
        }
        extras.decrement(second);
        return false;
    }

    long callsInWindow() {
        return calls.sum(currentSecond());
    }

    long extrasInWindow() {
        return extras.sum(currentSecond());
    }

    long remainingExtras() {
        long second = currentSecond();
        return Math.max(0, allowance(calls.sum(second)) - extras.sum(second));
    }

    private long allowance(long callsInWindow) {
        return (long) (ratio * callsInWindow) + floor;
    }

    private long currentSecond() {
        return (ticker.nanoTime() - origin) / NANOS_PER_SECOND;
    }
}
