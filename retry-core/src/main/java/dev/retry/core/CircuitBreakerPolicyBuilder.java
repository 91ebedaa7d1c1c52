package dev.retry.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link CircuitBreakerPolicy}. Every option has the contract's built-in default, every
 * setter checks its argument and names it when it refuses one, and each option may be set once.
 */
public final class CircuitBreakerPolicyBuilder {

    /** Large enough for any real window, small enough that the packed counts never overflow. */
    static final int MAX_WINDOW_SIZE = 1_000_000;

    /**
     * An hour: a breaker that judges the calls of more than the last hour reacts too late to protect
     * anything, and a time window keeps one bucket per second.
     */
    static final int MAX_TIME_WINDOW_SECONDS = 3_600;

    /** What every option left unset keeps: the built-in defaults, or a configuration to vary. */
    private final CircuitBreakerConfig base;

    private @Nullable String name;
    private CircuitBreakerConfig.@Nullable WindowType windowType;
    private @Nullable Integer windowSize;
    private @Nullable Integer minimumCalls;
    private @Nullable Float failureRateThreshold;
    private @Nullable Duration slowCallDuration;
    private @Nullable Float slowCallRateThreshold;
    private @Nullable Duration openDuration;
    private @Nullable Double openDurationMultiplier;
    private @Nullable Duration maxOpenDuration;
    private @Nullable Integer halfOpenCalls;
    private @Nullable List<Class<? extends Throwable>> recordOn;
    private @Nullable List<Class<? extends Throwable>> ignoreOn;
    private @Nullable Predicate<? super Throwable> recordIf;
    private @Nullable Predicate<Object> recordResultIf;
    private @Nullable Predicate<? super Throwable> successIf;
    private @Nullable Ticker ticker;
    private final List<CircuitBreakerListener> listeners = new ArrayList<>();

    CircuitBreakerPolicyBuilder(CircuitBreakerConfig base) {
        this.base = Objects.requireNonNull(base, "base must not be null");
    }

    /** The name that events, metrics and messages use; {@code "default"} unless set. */
    public CircuitBreakerPolicyBuilder name(String name) {
        requireUnset(this.name, "name");
        this.name = Options.requireName(name);
        return this;
    }

    /**
     * A window of the last {@code calls} calls, 1 to 1,000,000 and, checked by {@link #build()}, at
     * least {@link #minimumCalls}: a smaller window never holds enough calls for the breaker to open.
     * The default, with 100.
     */
    public CircuitBreakerPolicyBuilder countWindow(int calls) {
        requireUnset(this.windowType, "window");
        this.windowSize = Options.requireBetween(calls, 1, MAX_WINDOW_SIZE, "windowSize");
        this.windowType = CircuitBreakerConfig.WindowType.COUNT;
        return this;
    }

    /** A window of the calls of the last {@code seconds} seconds: 1 to 3600. */
    public CircuitBreakerPolicyBuilder timeWindow(int seconds) {
        requireUnset(this.windowType, "window");
        this.windowSize = Options.requireBetween(seconds, 1, MAX_TIME_WINDOW_SECONDS, "windowSize");
        this.windowType = CircuitBreakerConfig.WindowType.TIME;
        return this;
    }

    /** Calls the window must hold before any rate is judged: at least 1. Default 20. */
    public CircuitBreakerPolicyBuilder minimumCalls(int minimumCalls) {
        requireUnset(this.minimumCalls, "minimumCalls");
        this.minimumCalls = Options.requireAtLeast(minimumCalls, 1, "minimumCalls");
        return this;
    }

    /** The failure rate at which the breaker opens, in percent: above 0, at most 100. Default 50. */
    public CircuitBreakerPolicyBuilder failureRateThreshold(float percent) {
        requireUnset(this.failureRateThreshold, "failureRateThreshold");
        this.failureRateThreshold = requirePercentage(percent, "failureRateThreshold");
        return this;
    }

    /** Calls that take at least this long are slow: more than zero. Default 60 s. */
    public CircuitBreakerPolicyBuilder slowCallDuration(Duration duration) {
        requireUnset(this.slowCallDuration, "slowCallDuration");
        this.slowCallDuration = requirePositive(duration, "slowCallDuration");
        return this;
    }

    /** The slow-call rate at which the breaker opens, in percent: above 0, at most 100. Default 100. */
    public CircuitBreakerPolicyBuilder slowCallRateThreshold(float percent) {
        requireUnset(this.slowCallRateThreshold, "slowCallRateThreshold");
        this.slowCallRateThreshold = requirePercentage(percent, "slowCallRateThreshold");
        return this;
    }

    /** How long the breaker stays open before it lets trial calls through: more than zero. Default 30 s. */
    public CircuitBreakerPolicyBuilder openDuration(Duration duration) {
        requireUnset(this.openDuration, "openDuration");
        this.openDuration = requirePositive(duration, "openDuration");
        return this;
    }

    /**
     * Makes the open duration grow after each failed round of trial calls: multiplied by {@code
     * multiplier} each time, up to {@code max}. By default it does not grow.
     */
    public CircuitBreakerPolicyBuilder openDurationGrowth(double multiplier, Duration max) {
        requireUnset(this.openDurationMultiplier, "openDurationGrowth");
        Options.requireMultiplier(multiplier, "openDurationGrowth.multiplier");
        this.maxOpenDuration = requirePositive(max, "openDurationGrowth.max");
        this.openDurationMultiplier = multiplier;
        return this;
    }

    /** Trial calls let through in half-open: at least 1. Default 5. */
    public CircuitBreakerPolicyBuilder halfOpenCalls(int halfOpenCalls) {
        requireUnset(this.halfOpenCalls, "halfOpenCalls");
        this.halfOpenCalls = Options.requireAtLeast(halfOpenCalls, 1, "halfOpenCalls");
        return this;
    }

    /**
     * Only these failures count as failures (subclasses and the cause chain match), plus what
     * {@link #recordIf} accepts; any other exception counts as a success, since the callee answered.
     * Without either, every {@link Exception} is a failure.
     */
    @SafeVarargs
    public final CircuitBreakerPolicyBuilder recordOn(Class<? extends Throwable>... failureTypes) {
        requireUnset(this.recordOn, "recordOn");
        Objects.requireNonNull(failureTypes, "recordOn must not be null");
        Class<?>[] types = new Class<?>[failureTypes.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = failureTypes[i]; // element by element: handing the generic array on is unchecked
        }
        this.recordOn = Options.requireTypes(types, "recordOn");
        return this;
    }

    /** These failures count neither way; they win over {@link #recordOn}. */
    @SafeVarargs
    public final CircuitBreakerPolicyBuilder ignoreOn(Class<? extends Throwable>... failureTypes) {
        requireUnset(this.ignoreOn, "ignoreOn");
        Objects.requireNonNull(failureTypes, "ignoreOn must not be null");
        Class<?>[] types = new Class<?>[failureTypes.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = failureTypes[i]; // element by element: handing the generic array on is unchecked
        }
        this.ignoreOn = Options.requireTypes(types, "ignoreOn");
        return this;
    }

    /** Also counts as a failure any exception this predicate accepts. */
    public CircuitBreakerPolicyBuilder recordIf(Predicate<? super Throwable> predicate) {
        requireUnset(this.recordIf, "recordIf");
        this.recordIf = Objects.requireNonNull(predicate, "recordIf must not be null");
        return this;
    }

    /**
     * Counts as a success any exception this predicate accepts, whatever {@link #recordOn} and
     * {@link #recordIf} say: the callee answered, and the answer says nothing about its health (an
     * HTTP 404, say). {@link #ignoreOn} still wins.
     */
    public CircuitBreakerPolicyBuilder successIf(Predicate<? super Throwable> predicate) {
        requireUnset(this.successIf, "successIf");
        this.successIf = Objects.requireNonNull(predicate, "successIf must not be null");
        return this;
    }

    /** Counts as a failure any result this predicate accepts (an error status in a response body). */
    public CircuitBreakerPolicyBuilder recordResultIf(Predicate<Object> predicate) {
        requireUnset(this.recordResultIf, "recordResultIf");
        this.recordResultIf = Objects.requireNonNull(predicate, "recordResultIf must not be null");
        return this;
    }

    /** Hears transitions, recorded calls and refusals; may be called more than once. */
    public CircuitBreakerPolicyBuilder listener(CircuitBreakerListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        return this;
    }

    /** The clock the breaker reads. Default {@link Ticker#system()}. */
    public CircuitBreakerPolicyBuilder ticker(Ticker ticker) {
        requireUnset(this.ticker, "ticker");
        this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
        return this;
    }

    /**
     * Builds the breaker, closed.
     *
     * @throws InvalidOptionException when a count window is smaller than {@code minimumCalls}, or
     *     the grown open duration's cap is shorter than {@code openDuration}
     */
    public CircuitBreakerPolicy build() {
        return new CircuitBreakerPolicy(buildConfig(), ticker != null ? ticker : Ticker.system(), listeners);
    }

    /**
     * Checks the options against each other, as {@link #build()} does, and returns the
     * configuration a breaker would get, without building one.
     *
     * @throws InvalidOptionException as {@link #build()} does
     */
    public CircuitBreakerConfig buildConfig() {
        CircuitBreakerConfig.WindowType type = windowType != null ? windowType : base.windowType();
        int size = windowSize != null ? windowSize : base.windowSize(); // set with windowType
        int minimum = minimumCalls != null ? minimumCalls : base.minimumCalls();
        // A count window of fewer calls than the minimum never judges a rate: the breaker could never open.
        if (type == CircuitBreakerConfig.WindowType.COUNT && size < minimum) {
            throw InvalidOptionException.conflict(
                    "windowSize",
                    size,
                    "a whole number of at least minimumCalls",
                    "minimumCalls",
                    minimum,
                    "a whole number from 1 to windowSize");
        }
        Duration open = openDuration != null ? openDuration : base.openDuration();
        double growth = openDurationMultiplier != null ? openDurationMultiplier : base.openDurationMultiplier();
        // Without growth the cap is the open duration itself; with growth from the base, its cap.
        Duration maxOpen = maxOpenDuration != null ? maxOpenDuration : growth == 1.0 ? open : base.maxOpenDuration();
        if (maxOpen.compareTo(open) < 0) {
            throw InvalidOptionException.conflict(
                    "openDurationGrowth.max",
                    Durations.format(maxOpen),
                    "a duration of at least openDuration",
                    "openDuration",
                    Durations.format(open),
                    Options.MORE_THAN_ZERO + " and at most openDurationGrowth.max");
        }
        return new CircuitBreakerConfig(
                name != null ? name : base.name(),
                type,
                size,
                minimum,
                failureRateThreshold != null ? failureRateThreshold : base.failureRateThreshold(),
                slowCallDuration != null ? slowCallDuration : base.slowCallDuration(),
                slowCallRateThreshold != null ? slowCallRateThreshold : base.slowCallRateThreshold(),
                open,
                growth,
                maxOpen,
                halfOpenCalls != null ? halfOpenCalls : base.halfOpenCalls(),
                recordOn != null ? recordOn : base.recordOn(),
                ignoreOn != null ? ignoreOn : base.ignoreOn(),
                recordIf != null ? recordIf : base.recordIf,
                recordResultIf != null ? recordResultIf : base.recordResultIf,
                successIf != null ? successIf : base.successIf);
    }

    private static void requireUnset(@Nullable Object current, String option) {
        Options.requireUnset(current, option);
    }

    private static float requirePercentage(float percent, String option) {
        return Options.requirePercentage(percent, option);
    }

    private static Duration requirePositive(Duration duration, String option) {
        return Options.requirePositive(duration, option);
    }
}
