package dev.retry.core;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * The settings of a {@link HedgePolicy}: immutable, validated, copied from its builder.
 *
 * <p>Durations are also kept in nanoseconds, which is what the call path reads.
 */
public final class HedgeConfig {

    /** The contract's built-in values, which every unset option takes. */
    static final Duration DEFAULT_DELAY = Duration.ofMillis(100);

    static final int DEFAULT_MAX_HEDGES = 1;

    /** The range of an adaptive delay's percentile: p50 to p99.9. */
    static final double MIN_PERCENTILE = 50.0;

    static final double MAX_PERCENTILE = 99.9;

    /**
     * An adaptive delay needs the window to hold this many latencies above its percentile, in
     * expectation, before it is trusted (see {@link #minSamples()}).
     */
    private static final int TAIL_SAMPLES = 5;
    /** ... and never fewer than this many latencies in all. */
    private static final int MIN_SAMPLES = 20;

    /**
     * The most hedges one call may start: each is one more copy of the call in flight, and more than
     * ten multiply the load on a service beyond anything hedging the slow tail could be worth.
     */
    static final int MAX_HEDGES = 10;

    private static final HedgeConfig DEFAULTS =
            new HedgeConfig("default", DEFAULT_DELAY, 0.0, DEFAULT_DELAY, DEFAULT_DELAY, DEFAULT_MAX_HEDGES, 0.0);

    private final String name;
    private final Duration delay;
    final double percentile;
    private final Duration minDelay;
    private final Duration maxDelay;
    private final int maxHedges;
    private final double budgetRatio;

    final long delayNanos;
    final long minDelayNanos;
    final long maxDelayNanos;
    final long minSamples;

    /**
     * @param percentile the adaptive delay's percentile, or 0 for a fixed delay
     * @param minDelay the adaptive delay's lower bound; for a fixed delay, the delay
     * @param maxDelay the adaptive delay's upper bound; for a fixed delay, the delay
     */
    HedgeConfig(
            String name,
            Duration delay,
            double percentile,
            Duration minDelay,
            Duration maxDelay,
            int maxHedges,
            double budgetRatio) {
        this.name = name;
        this.delay = delay;
        this.percentile = percentile;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
        this.maxHedges = maxHedges;
        this.budgetRatio = budgetRatio;
        this.delayNanos = Durations.toNanosSaturated(delay);
        this.minDelayNanos = Durations.toNanosSaturated(minDelay);
        this.maxDelayNanos = Durations.toNanosSaturated(maxDelay);
        this.minSamples = percentile > 0 ? minSamples(percentile) : 0;
    }

    /**
     * The contract's built-in configuration, the one place its defaults are written: what {@link
     * HedgePolicy#builder()} starts from and what every option left unset keeps.
     */
    public static HedgeConfig defaults() {
        return DEFAULTS;
    }

    /** The policy's name, used in events and messages. */
    public String name() {
        return name;
    }

    /**
     * The delay before each hedge when the delay is fixed; for an adaptive delay, the one waited
     * until enough latencies have been seen.
     */
    public Duration delay() {
        return delay;
    }

    /** The percentile of recent latencies that an adaptive delay follows; empty when the delay is fixed. */
    public OptionalDouble delayPercentile() {
        return percentile > 0 ? OptionalDouble.of(percentile) : OptionalDouble.empty();
    }

    /** Whether the delay follows recent latencies. */
    public boolean adaptive() {
        return percentile > 0;
    }

    /** The shortest delay an adaptive delay may take; the delay itself when it is fixed. */
    public Duration minDelay() {
        return minDelay;
    }

    /** The longest delay an adaptive delay may take; the delay itself when it is fixed. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** The most attempts started beyond the primary. */
    public int maxHedges() {
        return maxHedges;
    }

    /** Hedges allowed per call over the budget's window; zero when there is no budget. */
    public double budgetRatio() {
        return budgetRatio;
    }

    /**
     * The fewest latencies the window must hold before an adaptive delay is trusted: enough that
     * about {@value #TAIL_SAMPLES} of them lie above the percentile, and at least {@value
     * #MIN_SAMPLES}. That is 20 for p50 to p75, 50 for p90, 100 for p95, 500 for p99 and 5000 for
     * p99.9: a percentile read from fewer is mostly the largest latency seen, noise.
     */
    long minSamples() {
        return minSamples;
    }

    static long minSamples(double percentile) {
        double tail = (100.0 - percentile) / 100.0;
        // The slack absorbs the binary error in percentiles such as 99.9, which would add one more.
        long needed = (long) Math.ceil(TAIL_SAMPLES / tail - 1e-6);
        return Math.max(MIN_SAMPLES, needed);
    }

    @Override
    public String toString() {
        String delays = adaptive()
                ? "delayPercentile=" + percentile + ", minDelay=" + minDelay + ", maxDelay=" + maxDelay
                        + ", fallbackDelay=" + delay
                : "delay=" + delay;
        return "HedgeConfig[name=" + name + ", " + delays + ", maxHedges=" + maxHedges + ", budgetRatio=" + budgetRatio
                + "]";
    }
}
