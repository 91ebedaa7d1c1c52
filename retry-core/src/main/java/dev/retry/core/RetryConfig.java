package dev.retry.core;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The settings of a {@link RetryPolicy}: immutable, validated, copied from its builder.
 *
 * <p>Durations are also kept in nanoseconds, which is what the call path reads.
 */
public final class RetryConfig {

    /** The contract's built-in values, which every unset option takes. */
    static final int DEFAULT_MAX_ATTEMPTS = 3;

    static final Duration DEFAULT_DELAY = Duration.ofMillis(100);
    static final int DEFAULT_ADAPTIVE_MIN_ATTEMPTS = 1;
    static final int DEFAULT_BUDGET_MIN_RETRIES_PER_SECOND = 10;

    private static final RetryConfig DEFAULTS = new RetryConfig(
            "default",
            DEFAULT_MAX_ATTEMPTS,
            Backoff.EXPONENTIAL,
            DEFAULT_DELAY,
            2.0,
            Duration.ofSeconds(10),
            Jitter.FULL,
            Duration.ZERO,
            List.of(),
            List.of(),
            null,
            null,
            null,
            0.0,
            DEFAULT_BUDGET_MIN_RETRIES_PER_SECOND,
            null,
            0);

    private final String name;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Duration delay;
    private final double multiplier;
    private final Duration maxDelay;
    private final Jitter jitter;
    private final Duration maxDuration;
    private final List<Class<? extends Throwable>> retryOn;
    private final List<Class<? extends Throwable>> abortOn;
    private final double budgetRatio;
    private final int budgetMinRetriesPerSecond;
    /** The floor of an adaptive attempt limit; 0 when the limit does not adapt. */
    private final int adaptiveMinAttempts;

    final long delayNanos;
    final long maxDelayNanos;
    final long maxDurationNanos;
    // Absent (null) unless the builder was given them: the call path tests for null, not a no-op.
    final @Nullable Predicate<? super Throwable> retryIf;
    final @Nullable Predicate<? super Throwable> abortIf;
    final @Nullable Predicate<Object> retryIfResult;
    final @Nullable Function<? super Throwable, @Nullable Duration> requestedDelay;

    RetryConfig(
            String name,
            int maxAttempts,
            Backoff backoff,
            Duration delay,
            double multiplier,
            Duration maxDelay,
            Jitter jitter,
            Duration maxDuration,
            List<Class<? extends Throwable>> retryOn,
            List<Class<? extends Throwable>> abortOn,
            @Nullable Predicate<? super Throwable> retryIf,
            @Nullable Predicate<? super Throwable> abortIf,
            @Nullable Predicate<Object> retryIfResult,
            double budgetRatio,
            int budgetMinRetriesPerSecond,
            @Nullable Function<? super Throwable, @Nullable Duration> requestedDelay,
            int adaptiveMinAttempts) {
        this.name = name;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.delay = delay;
        this.multiplier = multiplier;
        this.maxDelay = maxDelay;
        this.jitter = jitter;
        this.maxDuration = maxDuration;
        this.retryOn = List.copyOf(retryOn);
        this.abortOn = List.copyOf(abortOn);
        this.retryIf = retryIf;
        this.abortIf = abortIf;
        this.retryIfResult = retryIfResult;
        this.budgetRatio = budgetRatio;
        this.budgetMinRetriesPerSecond = budgetMinRetriesPerSecond;
        this.requestedDelay = requestedDelay;
        this.adaptiveMinAttempts = adaptiveMinAttempts;
        this.delayNanos = Durations.toNanosSaturated(delay);
        this.maxDelayNanos = Durations.toNanosSaturated(maxDelay);
        this.maxDurationNanos = Durations.toNanosSaturated(maxDuration);
    }

    /**
     * The contract's built-in configuration, the one place its defaults are written: what {@link
     * RetryPolicy#builder()} starts from and what every option left unset keeps.
     */
    public static RetryConfig defaults() {
        return DEFAULTS;
    }

    /** The policy's name, used in events and messages. */
    public String name() {
        return name;
    }

    /** Total attempts, the first included. */
    public int maxAttempts() {
        return maxAttempts;
    }

    public Backoff backoff() {
        return backoff;
    }

    /** The base delay before the first retry. */
    public Duration delay() {
        return delay;
    }

    /** The growth factor of {@link Backoff#EXPONENTIAL}. */
    public double multiplier() {
        return multiplier;
    }

    /** The cap on any one delay, a requested one included. */
    public Duration maxDelay() {
        return maxDelay;
    }

    public Jitter jitter() {
        return jitter;
    }

    /** No retry starts that would begin later than this after the call started; zero for no limit. */
    public Duration maxDuration() {
        return maxDuration;
    }

    /** Failures that are retried (subclasses and causes match); empty for every exception. */
    public List<Class<? extends Throwable>> retryOn() {
        return retryOn;
    }

    /** Failures that are never retried; they win over {@link #retryOn()}. */
    public List<Class<? extends Throwable>> abortOn() {
        return abortOn;
    }

    /** Whether a predicate on failures adds to {@link #retryOn()}. */
    public boolean hasRetryPredicate() {
        return retryIf != null;
    }

    /** Whether a predicate on failures adds to {@link #abortOn()}. */
    public boolean hasAbortPredicate() {
        return abortIf != null;
    }

    /** Whether some results are retried. */
    public boolean hasResultPredicate() {
        return retryIfResult != null;
    }

    /** Retries allowed per call over the budget's window; zero when there is no budget. */
    public double budgetRatio() {
        return budgetRatio;
    }

    /** The budget's floor, in retries per second. */
    public int budgetMinRetriesPerSecond() {
        return budgetMinRetriesPerSecond;
    }

    /**
     * Whether the attempt limit and the delays follow how well retries pay off, between {@link
     * #adaptiveMinAttempts()} and {@link #maxAttempts()} (see {@link RetryPolicyBuilder#adaptive}).
     */
    public boolean adaptive() {
        return adaptiveMinAttempts > 0;
    }

    /**
     * The fewest attempts adaptation may leave, 1 .. {@link #maxAttempts()}. When the policy does not
     * adapt, the contract's built-in value, 1, which nothing then uses.
     */
    public int adaptiveMinAttempts() {
        return adaptiveMinAttempts > 0 ? adaptiveMinAttempts : DEFAULT_ADAPTIVE_MIN_ATTEMPTS;
    }

    /**
     * The delay before retry number {@code retry} (1 for the first retry) as the backoff and jitter
     * compute it, given the delay used before the previous retry (0 before the first) and a number
     * drawn uniformly from {@code [0, 1)}.
     */
    long computedDelayNanos(int retry, long previousDelayNanos, double uniform) {
        if (jitter == Jitter.DECORRELATED) {
            return Jitter.decorrelated(delayNanos, previousDelayNanos, maxDelayNanos, uniform);
        }
        return jitter.apply(backoff.baseDelayNanos(retry, delayNanos, multiplier, maxDelayNanos), uniform);
    }

    /** The delay the failure's source asked for, or {@code null}: the extractor's answer first, then any hint. */
    @Nullable
    Duration requestedDelayOf(Throwable failure) {
        if (requestedDelay != null) {
            Duration extracted = requestedDelay.apply(failure);
            if (extracted != null) {
                return extracted;
            }
        }
        return FailureClassifier.requestedDelay(failure);
    }

    /** A delay requested by the failure's source, capped at {@link #maxDelay()}. */
    long requestedDelayNanos(Duration requested) {
        long nanos = Durations.toNanosSaturated(requested);
        return nanos <= 0 ? 0 : Math.min(nanos, maxDelayNanos);
    }

    @Override
    public String toString() {
        return "RetryConfig[name=" + name + ", maxAttempts=" + maxAttempts + ", backoff=" + backoff + ", delay="
                + delay + ", multiplier=" + multiplier + ", maxDelay=" + maxDelay + ", jitter=" + jitter
                + ", maxDuration=" + maxDuration + ", retryOn=" + retryOn + ", abortOn=" + abortOn
                + ", budgetRatio=" + budgetRatio + ", budgetMinRetriesPerSecond=" + budgetMinRetriesPerSecond
                + (adaptive() ? ", adaptiveMinAttempts=" + adaptiveMinAttempts : "") + "]";
    }
}
