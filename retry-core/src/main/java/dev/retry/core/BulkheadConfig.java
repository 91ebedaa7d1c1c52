package dev.retry.core;

import java.time.Duration;

/** The settings of a {@link BulkheadPolicy}: immutable, validated, copied from its builder. */
public final class BulkheadConfig {

    /** The contract's built-in values. */
    static final int DEFAULT_MAX_CONCURRENT_CALLS = 25;

    static final Duration DEFAULT_MAX_WAIT = Duration.ZERO;

    private static final BulkheadConfig DEFAULTS =
            new BulkheadConfig("default", DEFAULT_MAX_CONCURRENT_CALLS, DEFAULT_MAX_WAIT);

    private final String name;
    private final int maxConcurrentCalls;
    private final Duration maxWait;

    /** The wait in nanoseconds, which is what the call path reads; 0 refuses at once. */
    final long maxWaitNanos;

    BulkheadConfig(String name, int maxConcurrentCalls, Duration maxWait) {
        this.name = name;
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.maxWait = maxWait;
        this.maxWaitNanos = Durations.toNanosSaturated(maxWait);
    }

    /**
     * The contract's built-in configuration, the one place its defaults are written: what {@link
     * BulkheadPolicy#builder()} starts from and what every option left unset keeps.
     */
    public static BulkheadConfig defaults() {
        return DEFAULTS;
    }

    /** The name that events, metrics and messages use. */
    public String name() {
        return name;
    }

    /** The most calls that may hold a permit at once. */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    /** How long a call may wait for a permit; zero refuses it at once. */
    public Duration maxWait() {
        return maxWait;
    }

    @Override
    public String toString() {
        return "BulkheadConfig[name=" + name + ", maxConcurrentCalls=" + maxConcurrentCalls + ", maxWait=" + maxWait
                + "]";
    }
}
