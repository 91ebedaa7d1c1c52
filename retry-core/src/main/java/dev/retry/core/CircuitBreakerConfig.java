package dev.retry.core;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/** The settings of a {@link CircuitBreakerPolicy}: immutable, validated, copied from its builder. */
public final class CircuitBreakerConfig {

    /** Whether the window counts calls or seconds. */
    public enum WindowType {
        /** The last {@code windowSize} calls. */
        COUNT,
        /** The calls of the last {@code windowSize} seconds. */
        TIME
    }

    private static final CircuitBreakerConfig DEFAULTS = new CircuitBreakerConfig(
            "default",
            WindowType.COUNT,
            100,
            20,
            50f,
            Duration.ofSeconds(60),
            100f,
            Duration.ofSeconds(30),
            1.0,
            Duration.ofSeconds(30),
            5,
            List.of(),
            List.of(),
            null,
            null,
            null);

    private final String name;
    private final WindowType windowType;
    private final int windowSize;
    private final int minimumCalls;
    private final float failureRateThreshold;
    private final Duration slowCallDuration;
    private final float slowCallRateThreshold;
    private final Duration openDuration;
    private final double openDurationMultiplier;
    private final Duration maxOpenDuration;
    private final int halfOpenCalls;
    private final List<Class<? extends Throwable>> recordOn;
    private final List<Class<? extends Throwable>> ignoreOn;

    final long slowCallNanos;
    final long openNanos;
    final long maxOpenNanos;
    // Absent (null) unless the builder was given them.
    final @Nullable Predicate<? super Throwable> recordIf;
    final @Nullable Predicate<Object> recordResultIf;
    final @Nullable Predicate<? super Throwable> successIf;

    CircuitBreakerConfig(
            String name,
            WindowType windowType,
            int windowSize,
            int minimumCalls,
            float failureRateThreshold,
            Duration slowCallDuration,
            float slowCallRateThreshold,
            Duration openDuration,
            double openDurationMultiplier,
            Duration maxOpenDuration,
            int halfOpenCalls,
            List<Class<? extends Throwable>> recordOn,
            List<Class<? extends Throwable>> ignoreOn,
            @Nullable Predicate<? super Throwable> recordIf,
            @Nullable Predicate<Object> recordResultIf,
            @Nullable Predicate<? super Throwable> successIf) {
        this.name = name;
        this.windowType = windowType;
        this.windowSize = windowSize;
        this.minimumCalls = minimumCalls;
        this.failureRateThreshold = failureRateThreshold;
        this.slowCallDuration = slowCallDuration;
        this.slowCallRateThreshold = slowCallRateThreshold;
        this.openDuration = openDuration;
        this.openDurationMultiplier = openDurationMultiplier;
        this.maxOpenDuration = maxOpenDuration;
        this.halfOpenCalls = halfOpenCalls;
        this.recordOn = List.copyOf(recordOn);
        this.ignoreOn = List.copyOf(ignoreOn);
        this.recordIf = recordIf;
        this.recordResultIf = recordResultIf;
        this.successIf = successIf;
        this.slowCallNanos = Durations.toNanosSaturated(slowCallDuration);
        this.openNanos = Durations.toNanosSaturated(openDuration);
        this.maxOpenNanos = Durations.toNanosSaturated(maxOpenDuration);
    }

    /**
     * The contract's built-in configuration, the one place its defaults are written: what {@link
     * CircuitBreakerPolicy#builder()} starts from and what every option left unset keeps.
     */
    public static CircuitBreakerConfig defaults() {
        return DEFAULTS;
    }

    public String name() {
        return name;
    }

    public WindowType windowType() {
        return windowType;
    }

    /** Calls ({@link WindowType#COUNT}) or seconds ({@link WindowType#TIME}) in the window. */
    public int windowSize() {
        return windowSize;
    }

    /** Calls the window must hold before any rate is judged. */
    public int minimumCalls() {
        return minimumCalls;
    }

    /** The failure rate, in percent, at which the breaker opens. */
    public float failureRateThreshold() {
        return failureRateThreshold;
    }

    /** Calls that take at least this long are slow. */
    public Duration slowCallDuration() {
        return slowCallDuration;
    }

    /** The slow-call rate, in percent, at which the breaker opens. */
    public float slowCallRateThreshold() {
        return slowCallRateThreshold;
    }

    /** How long the breaker stays open the first time. */
    public Duration openDuration() {
        return openDuration;
    }

    /** How much longer it stays open after each failed round of trial calls; 1.0 for no growth. */
    public double openDurationMultiplier() {
        return openDurationMultiplier;
    }

    /** The cap on a grown open duration. */
    public Duration maxOpenDuration() {
        return maxOpenDuration;
    }

    /** Trial calls let through in half-open. */
    public int halfOpenCalls() {
        return halfOpenCalls;
    }

    /** Failures that count as failures; empty for every exception. Others count as successes. */
    public List<Class<? extends Throwable>> recordOn() {
        return recordOn;
    }

    /** Failures that count neither way; they win over {@link #recordOn()}. */
    public List<Class<? extends Throwable>> ignoreOn() {
        return ignoreOn;
    }

    /** The open duration after {@code failedProbes} failed rounds of trial calls, capped. */
    long openNanos(int failedProbes) {
        if (failedProbes == 0 || openDurationMultiplier == 1.0) {
            return openNanos;
        }
        double grown = openNanos * Math.pow(openDurationMultiplier, failedProbes);
        return grown >= maxOpenNanos ? maxOpenNanos : (long) grown;
    }

    @Override
    public String toString() {
        return "CircuitBreakerConfig[name=" + name + ", window=" + windowType + ", windowSize=" + windowSize
                + ", minimumCalls=" + minimumCalls + ", failureRateThreshold=" + failureRateThreshold
                + ", slowCallDuration=" + slowCallDuration + ", slowCallRateThreshold=" + slowCallRateThreshold
                + ", openDuration=" + openDuration + ", openDurationMultiplier=" + openDurationMultiplier
                + ", maxOpenDuration=" + maxOpenDuration + ", halfOpenCalls=" + halfOpenCalls + ", recordOn="
                + recordOn + ", ignoreOn=" + ignoreOn + "]";
    }
}
