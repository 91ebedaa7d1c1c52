package dev.retry.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link HedgePolicy}. Every option has the contract's built-in default, every setter
 * checks its argument and names it when it refuses one, and each option may be set only once, so
 * that a later line cannot silently undo an earlier one.
 *
 * <pre>{@code
 * HedgePolicy hedge = HedgePolicy.builder()
 *         .name("search")
 *         .delayPercentile(95, Duration.ofMillis(20), Duration.ofSeconds(1))
 *         .delay(Duration.ofMillis(150))          // until enough latencies are known
 *         .maxHedges(1)
 *         .budget(0.05)
 *         .executor(Executors.newVirtualThreadPerTaskExecutor())
 *         .build();
 * }</pre>
 */
public final class HedgePolicyBuilder {

    /** What every option left unset keeps: the built-in defaults, or a configuration to vary. */
    private final HedgeConfig base;

    private @Nullable String name;
    private @Nullable Duration delay;
    private @Nullable Double percentile;
    private @Nullable Duration minDelay;
    private @Nullable Duration maxDelay;
    private @Nullable Integer maxHedges;
    private @Nullable Double budgetRatio;
    private @Nullable Executor executor;
    private @Nullable Ticker ticker;
    private @Nullable Scheduler scheduler;
    private final List<HedgeListener> listeners = new ArrayList<>();

    HedgePolicyBuilder(HedgeConfig base) {
        this.base = Objects.requireNonNull(base, "base must not be null");
    }

    /** The name that events, metrics and messages use; {@code "default"} unless set. */
    public HedgePolicyBuilder name(String name) {
        requireUnset(this.name, "name");
        this.name = Options.requireName(name);
        return this;
    }

    /**
     * How long to wait for an attempt before starting the next one: zero or more. Default 100 ms.
     * With {@link #delayPercentile}, the delay waited until enough latencies have been seen, which
     * must then lie within its bounds; without it, the default 100 ms, brought within the bounds, is
     * waited meanwhile.
     */
    public HedgePolicyBuilder delay(Duration delay) {
        requireUnset(this.delay, "delay");
        this.delay = requireNotNegative(delay, "delay");
        return this;
    }

    /**
     * Makes the delay follow recent latencies: it is the given percentile of the calls' latencies
     * over the last ten seconds, kept between {@code minDelay} and {@code maxDelay}. Until the window
     * holds enough latencies to trust the percentile (20 for p50, 500 for p99, 5000 for p99.9), the
     * policy waits {@link #delay} if it was set, else the default 100 ms brought within the bounds:
     * not {@code minDelay}, which would hedge nearly every call of a policy that has just started,
     * doubling the load on the service while it is warming up (or while every instance of a client
     * is being redeployed at once).
     *
     * @param percentile from 50 (the median) to 99.9
     * @param minDelay the shortest delay: zero or more
     * @param maxDelay the longest delay: at least {@code minDelay}
     */
    public HedgePolicyBuilder delayPercentile(double percentile, Duration minDelay, Duration maxDelay) {
        requireUnset(this.percentile, "delayPercentile");
        if (!(percentile >= HedgeConfig.MIN_PERCENTILE && percentile <= HedgeConfig.MAX_PERCENTILE)) {
            throw InvalidOptionException.of(
                    "delayPercentile", percentile, "a percentile from 50 to 99.9 (p50 .. p99.9)");
        }
        requireNotNegative(minDelay, "delayPercentile.minDelay");
        requireNotNegative(maxDelay, "delayPercentile.maxDelay");
        if (maxDelay.compareTo(minDelay) < 0) {
            throw InvalidOptionException.conflict(
                    "delayPercentile.maxDelay",
                    Durations.format(maxDelay),
                    "a duration of at least delayPercentile.minDelay",
                    "delayPercentile.minDelay",
                    Durations.format(minDelay),
                    Options.ZERO_OR_MORE + " and at most delayPercentile.maxDelay");
        }
        this.percentile = percentile;
        this.minDelay = minDelay;
        this.maxDelay = maxDelay;
        return this;
    }

    /** The most attempts started beyond the primary: 0 (hedging off) to 10. Default 1. */
    public HedgePolicyBuilder maxHedges(int maxHedges) {
        requireUnset(this.maxHedges, "maxHedges");
        this.maxHedges = Options.requireBetween(maxHedges, 0, HedgeConfig.MAX_HEDGES, "maxHedges");
        return this;
    }

    /**
     * Shares a hedge budget among all calls of the policy: over a sliding window of {@value
     * HedgeBudget#WINDOW_SECONDS} seconds, hedges may number at most {@code ratio} times the calls
     * (0.05: at most 5 % extra attempts). A ratio of 0 means no budget, the default.
     *
     * @param ratio hedges allowed per call: from 0 to 100
     */
    public HedgePolicyBuilder budget(double ratio) {
        requireUnset(this.budgetRatio, "budget");
        this.budgetRatio = Options.requireBudgetRatio(ratio, "budget.ratio");
        return this;
    }

    /**
     * Runs the attempts of synchronous calls, the primary included, so that the caller can wait for
     * whichever finishes first. It should give each task a thread of its own (a virtual thread per
     * task suits well); losers are stopped by interrupting their thread. Asynchronous calls do not
     * use it. Default: a shared pool of daemon threads, created on first use.
     */
    public HedgePolicyBuilder executor(Executor executor) {
        requireUnset(this.executor, "executor");
        this.executor = Objects.requireNonNull(executor, "executor must not be null");
        return this;
    }

    /** The clock the policy reads. Default {@link Ticker#system()}. */
    public HedgePolicyBuilder ticker(Ticker ticker) {
        requireUnset(this.ticker, "ticker");
        this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
        return this;
    }

    /** Starts hedges when their delay has passed, for every kind of call. Default {@link Scheduler#system()}. */
    public HedgePolicyBuilder scheduler(Scheduler scheduler) {
        requireUnset(this.scheduler, "scheduler");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
        return this;
    }

    /** Hears every hedge, outcome and budget refusal; may be called more than once to add more. */
    public HedgePolicyBuilder listener(HedgeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        return this;
    }

    /**
     * Checks the options against each other and builds the policy. The builder may be used again;
     * policies built from it share nothing.
     *
     * @throws InvalidOptionException when both {@code delay} and {@code delayPercentile} are set
     *     and the delay lies outside the percentile's bounds
     */
    public HedgePolicy build() {
        return new HedgePolicy(
                buildConfig(),
                executor != null ? executor : SystemTime.hedgeExecutor(),
                ticker != null ? ticker : Ticker.system(),
                scheduler != null ? scheduler : Scheduler.system(),
                listeners);
    }

    /**
     * Checks the options against each other, as {@link #build()} does, and returns the
     * configuration a policy would get, without building one.
     *
     * @throws InvalidOptionException as {@link #build()} does
     */
    public HedgeConfig buildConfig() {
        // delayPercentile sets the percentile and its bounds together: all three or none.
        if (percentile == null || minDelay == null || maxDelay == null) {
            if (delay == null) {
                return newConfig(base.delay(), base.percentile, base.minDelay(), base.maxDelay());
            }
            return newConfig(delay, 0.0, delay, delay);
        }
        if (delay != null && (delay.compareTo(minDelay) < 0 || delay.compareTo(maxDelay) > 0)) {
            throw InvalidOptionException.of(
                    "delay",
                    Durations.format(delay),
                    "a duration within the bounds of delayPercentile, " + Durations.format(minDelay) + " .. "
                            + Durations.format(maxDelay));
        }
        return newConfig(
                delay != null ? delay : within(HedgeConfig.DEFAULT_DELAY, minDelay, maxDelay),
                percentile,
                minDelay,
                maxDelay);
    }

    private HedgeConfig newConfig(Duration delay, double percentile, Duration minDelay, Duration maxDelay) {
        return new HedgeConfig(
                name != null ? name : base.name(),
                delay,
                percentile,
                minDelay,
                maxDelay,
                maxHedges != null ? maxHedges : base.maxHedges(),
                budgetRatio != null ? budgetRatio : base.budgetRatio());
    }

    private static Duration within(Duration value, Duration min, Duration max) {
        return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
    }

    private static void requireUnset(@Nullable Object current, String option) {
        Options.requireUnset(current, option);
    }

    private static Duration requireNotNegative(Duration duration, String option) {
        return Options.requireNotNegative(duration, option);
    }
}
