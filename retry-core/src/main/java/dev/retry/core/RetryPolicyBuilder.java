package dev.retry.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link RetryPolicy}. Every option has the contract's built-in default, every setter
 * checks its argument and names it when it refuses one, and each option may be set only once, so
 * that a later line cannot silently undo an earlier one.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *         .name("inventory")
 *         .maxAttempts(5)
 *         .backoff(Backoff.EXPONENTIAL)
 *         .delay(Duration.ofMillis(200))
 *         .retryOn(IOException.class)
 *         .budget(0.1, 10)
 *         .build();
 * }</pre>
 */
public final class RetryPolicyBuilder {

    /** What every option left unset keeps: the built-in defaults, or a configuration to vary. */
    private final RetryConfig base;

    private @Nullable String name;
    private @Nullable Integer maxAttempts;
    private @Nullable Backoff backoff;
    private @Nullable Duration delay;
    private @Nullable Double multiplier;
    private @Nullable Duration maxDelay;
    private @Nullable Jitter jitter;
    private @Nullable Duration maxDuration;
    private @Nullable List<Class<? extends Throwable>> retryOn;
    private @Nullable List<Class<? extends Throwable>> abortOn;
    private @Nullable Predicate<? super Throwable> retryIf;
    private @Nullable Predicate<? super Throwable> abortIf;
    private @Nullable Predicate<Object> retryIfResult;
    private @Nullable Double budgetRatio;
    private @Nullable Integer budgetMinRetriesPerSecond;
    private @Nullable RetryBudget sharedBudget;
    private @Nullable Integer adaptiveMinAttempts;
    private @Nullable Function<? super Throwable, @Nullable Duration> requestedDelay;
    private @Nullable Ticker ticker;
    private @Nullable Sleeper sleeper;
    private @Nullable Scheduler scheduler;
    private @Nullable RandomSource random;
    private final List<RetryListener> listeners = new ArrayList<>();

    RetryPolicyBuilder(RetryConfig base) {
        this.base = Objects.requireNonNull(base, "base must not be null");
    }

    /** The name that events, metrics and messages use; {@code "default"} unless set. */
    public RetryPolicyBuilder name(String name) {
        requireUnset(this.name, "name");
        this.name = Options.requireName(name);
        return this;
    }

    /** Total attempts, the first included: at least 1 (1 means never retry). Default 3. */
    public RetryPolicyBuilder maxAttempts(int maxAttempts) {
        requireUnset(this.maxAttempts, "maxAttempts");
        this.maxAttempts = Options.requireAtLeast(maxAttempts, 1, "maxAttempts");
        return this;
    }

    /** How delays grow from one retry to the next. Default {@link Backoff#EXPONENTIAL}. */
    public RetryPolicyBuilder backoff(Backoff backoff) {
        requireUnset(this.backoff, "backoff");
        this.backoff = Objects.requireNonNull(backoff, "backoff must not be null");
        return this;
    }

    /** The base delay before the first retry: zero or more. Default 100 ms. */
    public RetryPolicyBuilder delay(Duration delay) {
        requireUnset(this.delay, "delay");
        this.delay = requireNotNegative(delay, "delay");
        return this;
    }

    /** The growth factor of {@link Backoff#EXPONENTIAL}: a finite number of at least 1.0. Default 2.0. */
    public RetryPolicyBuilder multiplier(double multiplier) {
        requireUnset(this.multiplier, "multiplier");
        this.multiplier = Options.requireMultiplier(multiplier, "multiplier");
        return this;
    }

    /**
     * The cap on any one delay, a server-requested one included: at least {@link #delay}. Default
     * 10 s, or the delay itself when that is longer.
     */
    public RetryPolicyBuilder maxDelay(Duration maxDelay) {
        requireUnset(this.maxDelay, "maxDelay");
        this.maxDelay = requireNotNegative(maxDelay, "maxDelay");
        return this;
    }

    /** How delays are randomised. Default {@link Jitter#FULL}. */
    public RetryPolicyBuilder jitter(Jitter jitter) {
        requireUnset(this.jitter, "jitter");
        this.jitter = Objects.requireNonNull(jitter, "jitter must not be null");
        return this;
    }

    /**
     * A limit on the whole call: no retry starts whose delay would end later than this after the
     * call started. Zero, the default, means no limit.
     */
    public RetryPolicyBuilder maxDuration(Duration maxDuration) {
        requireUnset(this.maxDuration, "maxDuration");
        this.maxDuration = requireNotNegative(maxDuration, "maxDuration");
        return this;
    }

    /**
     * Retries only these failures (subclasses match, and so does any exception in the cause chain),
     * plus whatever {@link #retryIf} accepts. Without either, every {@link Exception} is retried.
     */
    @SafeVarargs
    public final RetryPolicyBuilder retryOn(Class<? extends Throwable>... failureTypes) {
        requireUnset(this.retryOn, "retryOn");
        Objects.requireNonNull(failureTypes, "retryOn must not be null");
        Class<?>[] types = new Class<?>[failureTypes.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = failureTypes[i]; // element by element: handing the generic array on is unchecked
        }
        this.retryOn = Options.requireTypes(types, "retryOn");
        return this;
    }

    /** Never retries these failures, matched like {@link #retryOn}; abort rules win over retry rules. */
    @SafeVarargs
    public final RetryPolicyBuilder abortOn(Class<? extends Throwable>... failureTypes) {
        requireUnset(this.abortOn, "abortOn");
        Objects.requireNonNull(failureTypes, "abortOn must not be null");
        Class<?>[] types = new Class<?>[failureTypes.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = failureTypes[i]; // element by element: handing the generic array on is unchecked
        }
        this.abortOn = Options.requireTypes(types, "abortOn");
        return this;
    }

    /** Also retries any failure this predicate accepts (abort rules still win). */
    public RetryPolicyBuilder retryIf(Predicate<? super Throwable> predicate) {
        requireUnset(this.retryIf, "retryIf");
        this.retryIf = Objects.requireNonNull(predicate, "retryIf must not be null");
        return this;
    }

    /** Never retries a failure this predicate accepts. */
    public RetryPolicyBuilder abortIf(Predicate<? super Throwable> predicate) {
        requireUnset(this.abortIf, "abortIf");
        this.abortIf = Objects.requireNonNull(predicate, "abortIf must not be null");
        return this;
    }

    /**
     * Retries when an attempt returns a result this predicate accepts (an empty page, a "pending"
     * status). When no attempts are left, the last such result is returned.
     */
    public RetryPolicyBuilder retryIfResult(Predicate<Object> predicate) {
        requireUnset(this.retryIfResult, "retryIfResult");
        this.retryIfResult = Objects.requireNonNull(predicate, "retryIfResult must not be null");
        return this;
    }

    /**
     * Shares a retry budget among all calls of the policy: over a sliding window of {@value
     * RetryBudget#WINDOW_SECONDS} seconds, retries may number at most {@code ratio} times the calls
     * plus {@code minRetriesPerSecond} per second. A ratio of 0 means no budget, the default.
     *
     * @param ratio retries allowed per call: from 0 to 100
     * @param minRetriesPerSecond the floor: zero or more
     */
    public RetryPolicyBuilder budget(double ratio, int minRetriesPerSecond) {
        requireUnset(this.budgetRatio, "budget");
        this.budgetRatio = Options.requireBudgetRatio(ratio, "budget.ratio");
        this.budgetMinRetriesPerSecond = Options.requireAtLeast(minRetriesPerSecond, 0, "budget.minRetriesPerSecond");
        return this;
    }

    /**
     * Uses a budget that other policies use too, such as the policies an application derives from
     * one named policy with different attempts: their retries then count against one allowance.
     * Instead of {@link #budget(double, int)}, not as well.
     */
    public RetryPolicyBuilder sharedBudget(RetryBudget budget) {
        requireUnset(this.budgetRatio, "budget");
        this.sharedBudget = Objects.requireNonNull(budget, "budget must not be null");
        this.budgetRatio = budget.ratio();
        this.budgetMinRetriesPerSecond = budget.minRetriesPerSecond();
        return this;
    }

    /**
     * Lets the policy judge itself over a sliding window of {@value RetryBudget#WINDOW_SECONDS}
     * seconds: while its retries stop succeeding, its attempt limit steps down from {@link
     * #maxAttempts} towards {@code minAttempts}, and back up once first attempts succeed again; its
     * delays stretch up to 2x as the share of failing first attempts rises and shrink to 0.5x as it
     * falls, still capped by {@link #maxDelay}. {@link RetryPolicy#currentMaxAttempts()} tells the
     * current limit. Off unless set.
     *
     * @param minAttempts the fewest attempts adaptation may leave: at least 1 and, checked by {@link
     *     #build()}, at most {@link #maxAttempts}
     */
    public RetryPolicyBuilder adaptive(int minAttempts) {
        requireUnset(this.adaptiveMinAttempts, "adaptive");
        this.adaptiveMinAttempts = Options.requireAtLeast(minAttempts, 1, "adaptive.minAttempts");
        return this;
    }

    /**
     * Reads the delay a failure's source asked for (an HTTP client exception's {@code Retry-After},
     * say) from failures that do not implement {@link RetryDelayHint}. Returns {@code null} when the
     * failure requests nothing; failures that implement {@link RetryDelayHint} are still asked too.
     */
    public RetryPolicyBuilder requestedDelay(Function<? super Throwable, @Nullable Duration> extractor) {
        requireUnset(this.requestedDelay, "requestedDelay");
        this.requestedDelay = Objects.requireNonNull(extractor, "requestedDelay must not be null");
        return this;
    }

    /** Hears every retry, success, failure and budget refusal; may be called more than once to add more. */
    public RetryPolicyBuilder listener(RetryListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
        return this;
    }

    /** The clock the policy reads. Default {@link Ticker#system()}. */
    public RetryPolicyBuilder ticker(Ticker ticker) {
        requireUnset(this.ticker, "ticker");
        this.ticker = Objects.requireNonNull(ticker, "ticker must not be null");
        return this;
    }

    /** How synchronous calls wait between attempts. Default {@link Sleeper#system()}. */
    public RetryPolicyBuilder sleeper(Sleeper sleeper) {
        requireUnset(this.sleeper, "sleeper");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
        return this;
    }

    /** How asynchronous calls wait between attempts. Default {@link Scheduler#system()}. */
    public RetryPolicyBuilder scheduler(Scheduler scheduler) {
        requireUnset(this.scheduler, "scheduler");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
        return this;
    }

    /** Where jitter draws its random numbers. Default {@link RandomSource#system()}. */
    public RetryPolicyBuilder random(RandomSource random) {
        requireUnset(this.random, "random");
        this.random = Objects.requireNonNull(random, "random must not be null");
        return this;
    }

    /**
     * Checks the options against each other and builds the policy. The builder may be used again;
     * policies built from it share nothing.
     *
     * @throws InvalidOptionException when {@code maxDelay} is less than {@code delay}, or the
     *     adaptive {@code minAttempts} is more than {@code maxAttempts}
     */
    public RetryPolicy build() {
        return new RetryPolicy(
                buildConfig(),
                ticker != null ? ticker : Ticker.system(),
                sleeper != null ? sleeper : Sleeper.system(),
                scheduler != null ? scheduler : Scheduler.system(),
                random != null ? random : RandomSource.system(),
                listeners,
                sharedBudget);
    }

    /**
     * Checks the options against each other, as {@link #build()} does, and returns the
     * configuration a policy would get, without building one: for an adapter that checks a whole
     * configuration before anything uses it.
     *
     * @throws InvalidOptionException when {@code maxDelay} is less than {@code delay}, or the
     *     adaptive {@code minAttempts} is more than {@code maxAttempts}
     */
    public RetryConfig buildConfig() {
        Duration effectiveDelay = delay != null ? delay : base.delay();
        // An unset cap grows to a longer delay set here: "delay: 20s" alone means 20 s, not a mistake.
        Duration effectiveMaxDelay =
                maxDelay != null ? maxDelay : delay != null ? max(base.maxDelay(), effectiveDelay) : base.maxDelay();
        if (effectiveMaxDelay.compareTo(effectiveDelay) < 0) {
            throw InvalidOptionException.conflict(
                    "maxDelay",
                    Durations.format(effectiveMaxDelay),
                    "a duration of at least delay",
                    "delay",
                    Durations.format(effectiveDelay),
                    Options.ZERO_OR_MORE + " and at most maxDelay");
        }
        int effectiveMaxAttempts = maxAttempts != null ? maxAttempts : base.maxAttempts();
        int minAttempts =
                adaptiveMinAttempts != null ? adaptiveMinAttempts : base.adaptive() ? base.adaptiveMinAttempts() : 0;
        if (minAttempts > effectiveMaxAttempts) {
            throw InvalidOptionException.conflict(
                    "adaptive.minAttempts",
                    minAttempts,
                    "a whole number from 1 to maxAttempts",
                    "maxAttempts",
                    effectiveMaxAttempts,
                    "a whole number of at least adaptive.minAttempts");
        }
        return new RetryConfig(
                name != null ? name : base.name(),
                effectiveMaxAttempts,
                backoff != null ? backoff : base.backoff(),
                effectiveDelay,
                multiplier != null ? multiplier : base.multiplier(),
                effectiveMaxDelay,
                jitter != null ? jitter : base.jitter(),
                maxDuration != null ? maxDuration : base.maxDuration(),
                retryOn != null ? retryOn : base.retryOn(),
                abortOn != null ? abortOn : base.abortOn(),
                retryIf != null ? retryIf : base.retryIf,
                abortIf != null ? abortIf : base.abortIf,
                retryIfResult != null ? retryIfResult : base.retryIfResult,
                budgetRatio != null ? budgetRatio : base.budgetRatio(),
                budgetMinRetriesPerSecond != null ? budgetMinRetriesPerSecond : base.budgetMinRetriesPerSecond(),
                requestedDelay != null ? requestedDelay : base.requestedDelay,
                minAttempts);
    }

    private static void requireUnset(@Nullable Object current, String option) {
        Options.requireUnset(current, option);
    }

    private static Duration requireNotNegative(Duration duration, String option) {
        return Options.requireNotNegative(duration, option);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
