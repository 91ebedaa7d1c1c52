package dev.retry.core;

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
 * <p>Counted lock-free over per-second buckets; see {@link CallRatioWindow} for how, and why the
 * number granted in a window can never exceed the allowance under any number of threads.
 */
public final class RetryBudget {

    /** The length of the sliding window, in seconds. */
    public static final int WINDOW_SECONDS = CallRatioWindow.WINDOW_SECONDS;

    private final double ratio;
    private final int minRetriesPerSecond;
    private final CallRatioWindow window;

    RetryBudget(double ratio, int minRetriesPerSecond, Ticker ticker) {
        this.ratio = ratio;
        this.minRetriesPerSecond = minRetriesPerSecond;
        this.window = new CallRatioWindow(ratio, (long) minRetriesPerSecond * WINDOW_SECONDS, ticker);
    }

    /**
     * A budget to share between policies with {@link RetryPolicyBuilder#sharedBudget}.
     *
     * @param ratio retries allowed per call over the window: above 0, at most 100
     * @param minRetriesPerSecond the floor: zero or more
     * @param ticker the clock that slides the window
     */
    public static RetryBudget create(double ratio, int minRetriesPerSecond, Ticker ticker) {
        if (!(ratio > 0.0 && ratio <= Options.MAX_BUDGET_RATIO)) {
            throw InvalidOptionException.of(
                    "budget.ratio", ratio, "a number above 0.0 and at most " + Options.MAX_BUDGET_RATIO);
        }
        Options.requireAtLeast(minRetriesPerSecond, 0, "budget.minRetriesPerSecond");
        return new RetryBudget(
                ratio, minRetriesPerSecond, java.util.Objects.requireNonNull(ticker, "ticker must not be null"));
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
        return window.callsInWindow();
    }

    /** Retries granted in the current window. */
    public long retriesInWindow() {
        return window.extrasInWindow();
    }

    /** How many more retries the current window would grant now. */
    public long remainingRetries() {
        return window.remainingExtras();
    }

    /** Counts one logical call; its first attempt is never subject to the budget. */
    void recordCall() {
        window.recordCall();
    }

    /** Grants one retry if the window allows it, counting it; otherwise counts nothing. */
    boolean tryAcquireRetry() {
        return window.tryAcquireExtra();
    }

    @Override
    public String toString() {
        return "RetryBudget[ratio=" + ratio + ", minRetriesPerSecond=" + minRetriesPerSecond + "]";
    }
}
