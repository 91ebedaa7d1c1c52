package dev.retry.core;

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
 * <p>Counted exactly as {@link RetryBudget} is, lock-free over per-second buckets (see {@link
 * CallRatioWindow}), so the hedges granted in a window never exceed it under any number of threads.
 */
public final class HedgeBudget {

    /** The length of the sliding window, in seconds. */
    public static final int WINDOW_SECONDS = CallRatioWindow.WINDOW_SECONDS;

    private final double ratio;
    private final CallRatioWindow window;

    HedgeBudget(double ratio, Ticker ticker) {
        this.ratio = ratio;
        this.window = new CallRatioWindow(ratio, 0, ticker);
    }

    /** Hedges allowed per call in the window. */
    public double ratio() {
        return ratio;
    }

    /** Calls counted in the current window. */
    public long callsInWindow() {
        return window.callsInWindow();
    }

    /** Hedges granted in the current window. */
    public long hedgesInWindow() {
        return window.extrasInWindow();
    }

    /** How many more hedges the current window would grant now. */
    public long remainingHedges() {
        return window.remainingExtras();
    }

    /** Counts one call; its primary attempt is never subject to the budget. */
    void recordCall() {
        window.recordCall();
    }

    /** Grants one hedge if the window allows it, counting it; otherwise counts nothing. */
    boolean tryAcquireHedge() {
        return window.tryAcquireExtra();
    }

    @Override
    public String toString() {
        return "HedgeBudget[ratio=" + ratio + "]";
    }
}
