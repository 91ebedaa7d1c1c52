package dev.retry.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs a call again when it fails, waiting longer each time, until it succeeds, the attempts run
 * out, the time budget is spent or the shared retry budget says no.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder().maxAttempts(4).retryOn(IOException.class).build();
 * Order order = policy.call(() -> client.fetchOrder(id));          // IOException passes through as it is
 * CompletableFuture<Order> later = policy.callAsync(() -> client.fetchOrderAsync(id));
 * }</pre>
 *
 * <h2>After each attempt</h2>
 *
 * <p>A result is returned at once unless {@code retryIfResult} rejects it. A failure is first
 * classified (abort rules, then retry rules; see {@link RetryPolicyBuilder#retryOn}). If it may be
 * retried, the policy checks, in this order: that attempts remain; the delay (the one the failure
 * requested, else backoff and jitter); that the retry would start within {@code maxDuration}; that
 * the thread is not interrupted; and last that the budget grants the retry, so that a retry that
 * will not happen never takes budget from one that would.
 *
 * <p>An adaptive policy ({@link RetryPolicyBuilder#adaptive}) also counts each attempt's outcome,
 * and checks attempts against its current limit ({@link #currentMaxAttempts()}) rather than {@code
 * maxAttempts}; it multiplies computed delays by a factor from 0.5 to 2, within {@code maxDelay}.
 * {@link AdaptiveRetry} explains the rule.
 *
 * <p>When the call stops without success, the caller gets what the last attempt gave: its result,
 * or its own exception (checked exceptions included, never wrapped), with the distinct exceptions
 * of earlier attempts attached as suppressed. When one of the policy's own rules throws (a
 * predicate, the {@code requestedDelay} extractor, the random source; for {@link #callAsync} also
 * the scheduler), the call ends with that exception, carrying the failure it was judging as
 * suppressed.
 *
 * <p>{@link #callAsync} waits on the policy's scheduler between attempts, blocking no thread.
 * Cancelling the future it returns stops the retries and cancels the attempt in flight.
 *
 * <h2>Cost</h2>
 *
 * <p>A call whose first attempt succeeds allocates nothing, takes no lock and, unless the policy
 * has a {@code maxDuration}, a listener or adapts, does not even read the clock; when it does read it,
 * a breaker right inside takes that reading as its own start ({@link Pipeline} explains). A success is
 * told to every listener as {@link RetryListener#onCallSucceeded} (plain values: no event, no clock),
 * and as an event only to listeners that override {@link RetryListener#onSuccess}, so a listener that
 * counts successes, or hears retries and failures alone, costs a successful call no allocation. A policy is
 * immutable in its configuration and safe to share between any number of threads; the budget and
 * the adaptive window are its only shared state, both lock-free.
 */
public final class RetryPolicy extends Policy {

    private static final RetryEvent.Reason[] REASONS = RetryEvent.Reason.values();

    /** The configuration and what is derived from it, read once per call; swapped whole by {@link #reconfigure}. */
    private volatile Tuning tuning;

    private final @Nullable RetryListener listener;
    /** {@link #listener} when one of the listeners hears successes; {@code null} otherwise. */
    private final @Nullable RetryListener successListener;

    final Ticker ticker;
    private final Sleeper sleeper;
    final Scheduler scheduler;
    private final RandomSource random;

    RetryPolicy(
            RetryConfig config,
            Ticker ticker,
            Sleeper sleeper,
            Scheduler scheduler,
            RandomSource random,
            List<RetryListener> listeners,
            @Nullable RetryBudget sharedBudget) {
        this.ticker = ticker;
        this.sleeper = sleeper;
        this.scheduler = scheduler;
        this.random = random;
        this.listener = listeners.isEmpty() ? null : new SafeRetryListener(config.name(), listeners);
        // A success is the one event of the happy path: when nobody hears it, no event is built for it.
        this.successListener = listeners.stream().anyMatch(SafeRetryListener::hearsSuccesses) ? listener : null;
        this.tuning = new Tuning(
                config,
                budgetFor(config, sharedBudget, null),
                adaptiveFor(config, null),
                config.maxDurationNanos > 0 || listener != null);
    }

    /**
     * One configuration with what the call path derives from it, so that a call never mixes two:
     * its attempts, delays and classification all come from the one it started with.
     */
    static final class Tuning {

        final RetryConfig config;
        final FailureClassifier classifier;
        final @Nullable RetryBudget budget;
        final @Nullable AdaptiveRetry adaptive;
        final boolean timed;

        Tuning(RetryConfig config, @Nullable RetryBudget budget, @Nullable AdaptiveRetry adaptive, boolean timed) {
            this.config = config;
            this.classifier = new FailureClassifier(config.retryOn(), config.abortOn(), config.retryIf, config.abortIf);
            this.budget = budget;
            this.adaptive = adaptive;
            this.timed = timed;
        }
    }

    /** {@code shared} when given; else the old budget while its numbers hold, else a new one, or none. */
    private @Nullable RetryBudget budgetFor(
            RetryConfig config, @Nullable RetryBudget shared, @Nullable RetryBudget old) {
        if (shared != null) {
            return shared;
        }
        if (config.budgetRatio() <= 0) {
            return null;
        }
        if (old != null
                && old.ratio() == config.budgetRatio()
                && old.minRetriesPerSecond() == config.budgetMinRetriesPerSecond()) {
            return old;
        }
        return new RetryBudget(config.budgetRatio(), config.budgetMinRetriesPerSecond(), ticker);
    }

    /** The old adaptive state while its bounds hold; else a new one, or none. */
    private @Nullable AdaptiveRetry adaptiveFor(RetryConfig config, @Nullable Tuning old) {
        if (!config.adaptive()) {
            return null;
        }
        if (old != null
                && old.adaptive != null
                && old.config.adaptiveMinAttempts() == config.adaptiveMinAttempts()
                && old.config.maxAttempts() == config.maxAttempts()) {
            return old.adaptive;
        }
        return new AdaptiveRetry(config.adaptiveMinAttempts(), config.maxAttempts(), ticker);
    }

    /**
     * Takes {@code newConfig} in place for the calls that start from now on; a call already running
     * finishes with the configuration it started with. The budget carries over while its ratio and
     * floor are unchanged (otherwise it starts again with the new ones), and so does the adaptive
     * limit while {@code adaptiveMinAttempts} and {@code maxAttempts} are.
     *
     * @throws IllegalArgumentException when {@code newConfig} names another policy
     */
    public void reconfigure(RetryConfig newConfig) {
        reconfigure(newConfig, null);
    }

    /**
     * {@link #reconfigure(RetryConfig)} with a budget shared with other policies, as {@link
     * RetryPolicyBuilder#sharedBudget} gives one; {@code null} for the policy's own.
     */
    public void reconfigure(RetryConfig newConfig, @Nullable RetryBudget sharedBudget) {
        Objects.requireNonNull(newConfig, "newConfig must not be null");
        synchronized (this) {
            Tuning old = tuning;
            if (!newConfig.name().equals(old.config.name())) {
                throw new IllegalArgumentException("retry policy '" + old.config.name()
                        + "' cannot take the configuration of '" + newConfig.name() + "'");
            }
            tuning = new Tuning(
                    newConfig,
                    budgetFor(newConfig, sharedBudget, old.budget),
                    adaptiveFor(newConfig, old),
                    newConfig.maxDurationNanos > 0 || listener != null);
        }
    }

    /**
     * Forgets what adaptation has learnt: the attempt limit goes back to {@code maxAttempts} and the
     * delays to their configured lengths, as when the policy was built. For tests, so that one test
     * driving the limit down cannot change what the next one sees; without {@code adaptive} enabled
     * there is nothing to forget and this does nothing. Calls already running keep the state they
     * started with.
     */
    public void resetAdaptation() {
        synchronized (this) {
            Tuning old = tuning;
            if (old.adaptive != null) {
                tuning = new Tuning(old.config, old.budget, adaptiveFor(old.config, null), old.timed);
            }
        }
    }

    /** Starts a builder with the contract's built-in defaults. */
    public static RetryPolicyBuilder builder() {
        return new RetryPolicyBuilder(RetryConfig.defaults());
    }

    /**
     * A builder whose unset options keep {@code base}'s values instead of the built-in defaults:
     * a variant of a configured policy, such as one with other attempts. Each option may still be
     * set once, and the options are checked against each other again when it builds.
     */
    public static RetryPolicyBuilder builder(RetryConfig base) {
        return new RetryPolicyBuilder(base);
    }

    /** A policy with the built-in defaults: 3 attempts, exponential backoff from 100 ms, full jitter. */
    public static RetryPolicy ofDefaults() {
        return builder().build();
    }

    public RetryConfig config() {
        return tuning.config;
    }

    /** The policy's shared retry budget, when it has one. */
    public Optional<RetryBudget> budget() {
        return Optional.ofNullable(tuning.budget);
    }

    /**
     * Total attempts a call starting now may make, the first included: {@link
     * RetryConfig#maxAttempts()}, or for an adaptive policy its current limit, between {@link
     * RetryConfig#adaptiveMinAttempts()} and that. The {@code retry.attempts.limit} gauge. Reading
     * it changes nothing.
     */
    public int currentMaxAttempts() {
        Tuning tuned = tuning;
        return tuned.adaptive != null ? tuned.adaptive.limit() : tuned.config.maxAttempts();
    }

    /** Runs each attempt through {@code next}, the rest of a pipeline. */
    @Override
    <T> CompletableFuture<T> executeAsync(
            AsyncStage next, Supplier<? extends CompletionStage<T>> supplier, @Nullable Object argument) {
        AsyncRetryExecution<T> execution = new AsyncRetryExecution<>(this, next, supplier);
        execution.start();
        return execution.result();
    }

    /** Runs each attempt through {@code next}, the rest of a pipeline. */
    @Override
    @SuppressWarnings("NullAway") // a null T is the caller's own result: see Nullness
    <A, T, X extends Throwable> T execute(
            Stage next, CheckedFunction<? super A, ? extends T, ? extends X> function, A argument) throws X {
        Tuning tuned = tuning;
        RetryConfig config = tuned.config;
        AdaptiveRetry adaptive = tuned.adaptive;
        if (tuned.budget != null) {
            tuned.budget.recordCall();
        }
        long start = tuned.timed ? ticker.nanoTime() : 0L;
        RetryContext context = RetryContext.forCurrentThread();
        int outerAttempt = context.attempt;
        String outerKey = context.key;
        String key = null;
        long previousDelay = 0L;
        EarlierFailures earlierFailures = null;
        try {
            for (int attempt = 1; ; attempt++) {
                context.attempt = attempt;
                context.key = key;
                T result = null;
                Throwable failure = null;
                try {
                    // The first attempt starts where the call did: a layer below that times it takes this reading.
                    result = attempt == 1 && tuned.timed
                            ? next.invokeStartedAt(function, argument, ticker, start)
                            : next.invoke(function, argument);
                } catch (Throwable thrown) {
                    failure = thrown;
                }
                key = context.key;
                if (failure == null && (config.retryIfResult == null || !config.retryIfResult.test(result))) {
                    if (adaptive != null) {
                        adaptive.recordSuccess(attempt);
                    }
                    if (listener != null) {
                        listener.onCallSucceeded(config.name(), attempt);
                        if (successListener != null) {
                            successListener.onSuccess(event(attempt, start, 0L, null, result, null));
                        }
                    }
                    return result;
                }
                long delay;
                try {
                    delay = nextDelay(tuned, attempt, failure, previousDelay, start, true);
                } catch (Throwable broken) {
                    throw Exceptions.<X>sneaky(brokenRule(broken, failure, earlierFailures));
                }
                if (delay < 0) {
                    RetryEvent.Reason reason = REASONS[(int) (-1 - delay)];
                    if (listener != null) {
                        RetryEvent stop = event(attempt, start, 0L, failure, result, reason);
                        if (reason == RetryEvent.Reason.BUDGET_EXHAUSTED) {
                            listener.onBudgetExhausted(stop);
                        }
                        listener.onFailure(stop);
                    }
                    return giveUp(result, failure, earlierFailures);
                }
                if (failure != null) {
                    earlierFailures = EarlierFailures.remember(earlierFailures, failure);
                }
                if (listener != null) {
                    listener.onRetry(event(attempt, start, delay, failure, result, null));
                }
                if (delay > 0) {
                    try {
                        sleeper.sleep(delay);
                    } catch (InterruptedException interrupted) {
                        // Keep the interrupt for the caller to see; stop retrying at once.
                        Thread.currentThread().interrupt();
                        if (listener != null) {
                            listener.onFailure(
                                    event(attempt, start, 0L, failure, result, RetryEvent.Reason.INTERRUPTED));
                        }
                        return giveUp(result, failure, earlierFailures);
                    }
                }
                previousDelay = delay;
            }
        } finally {
            context.attempt = outerAttempt;
            context.key = outerKey;
        }
    }

    /**
     * What the caller gets when one of the user's own rules (a predicate, the delay extractor, the
     * random source) threw while judging an attempt's {@code failure}: that exception, which is the
     * bug to see, carrying the failure it was judging (with the earlier ones) so that it is not lost.
     */
    static Throwable brokenRule(
            Throwable broken, @Nullable Throwable failure, @Nullable EarlierFailures earlierFailures) {
        if (failure != null) {
            EarlierFailures.attachTo(failure, earlierFailures);
            Exceptions.attachSuppressed(broken, failure);
        }
        return broken;
    }

    /** Returns the last result, or throws the last failure with the earlier ones attached. */
    private static <T extends @Nullable Object, X extends Throwable> T giveUp(
            T result, @Nullable Throwable failure, @Nullable EarlierFailures earlierFailures) throws X {
        if (failure == null) {
            return result;
        }
        EarlierFailures.attachTo(failure, earlierFailures);
        throw Exceptions.<X>sneaky(failure);
    }

    /**
     * Decides what follows an attempt that failed or returned a rejected result: the delay before
     * the next attempt in nanoseconds (zero or more), or, when the call must stop, a negative number
     * {@code -1 - reason.ordinal()}. Takes a budget permit only when it returns a delay. Counts the
     * attempt as failed for an adaptive policy unless the failure is one it never retries.
     *
     * @param attempt the attempt that just ended, 1-based
     * @param failure its failure, or {@code null} when its result was rejected
     * @param interruptible whether an interrupted thread stops the retries (synchronous calls)
     */
    long nextDelay(
            Tuning tuned,
            int attempt,
            @Nullable Throwable failure,
            long previousDelay,
            long start,
            boolean interruptible) {
        RetryConfig config = tuned.config;
        AdaptiveRetry adaptive = tuned.adaptive;
        RetryBudget budget = tuned.budget;
        if (failure != null) {
            RetryEvent.Reason refusal = tuned.classifier.classify(failure);
            if (refusal != null) {
                return stop(refusal);
            }
        }
        int limit = config.maxAttempts();
        if (adaptive != null) {
            adaptive.recordFailure(attempt);
            limit = adaptive.limit();
        }
        if (attempt >= limit) {
            return stop(RetryEvent.Reason.ATTEMPTS_EXHAUSTED);
        }
        Duration requested = failure != null ? config.requestedDelayOf(failure) : null;
        long delay;
        if (requested != null) {
            // Never scaled: shrinking it would retry sooner than the server asked.
            delay = config.requestedDelayNanos(requested);
        } else {
            double uniform = config.jitter() == Jitter.NONE ? 0.0 : withinUnitRange(random.nextDouble());
            if (adaptive == null) {
                delay = config.computedDelayNanos(attempt, previousDelay, uniform);
            } else {
                long computed = config.computedDelayNanos(attempt, adaptive.unscale(previousDelay), uniform);
                delay = adaptive.scale(computed, config.maxDelayNanos);
            }
        }
        if (config.maxDurationNanos > 0 && ticker.nanoTime() - start > config.maxDurationNanos - delay) {
            return stop(RetryEvent.Reason.MAX_DURATION);
        }
        if (interruptible && Thread.currentThread().isInterrupted()) {
            return stop(RetryEvent.Reason.INTERRUPTED);
        }
        if (budget != null && !budget.tryAcquireRetry()) {
            return stop(RetryEvent.Reason.BUDGET_EXHAUSTED);
        }
        return delay;
    }

    /**
     * A user's random source outside {@code [0, 1)} would give a delay below zero, which reads as a
     * stop code, or far past {@code maxDelay}; NaN is taken as 0.
     */
    private static double withinUnitRange(double uniform) {
        return uniform >= 0.0 ? (uniform < 1.0 ? uniform : LARGEST_BELOW_ONE) : 0.0;
    }

    private static final double LARGEST_BELOW_ONE = Math.nextDown(1.0);

    @SuppressWarnings("EnumOrdinal") // a stop code lives for one call, read back by reasonOf in the same JVM
    private static long stop(RetryEvent.Reason reason) {
        return -1L - reason.ordinal();
    }

    static RetryEvent.Reason reasonOf(long stopCode) {
        return REASONS[(int) (-1 - stopCode)];
    }

    @Nullable
    RetryListener listener() {
        return listener;
    }

    /** {@link #listener()} when a listener hears successes, else {@code null}. */
    @Nullable
    RetryListener successListener() {
        return successListener;
    }

    /** The configuration the next call starts with. */
    Tuning tuning() {
        return tuning;
    }

    /** The adaptive limit and delay factor; {@code null} unless the policy adapts. */
    @Nullable
    AdaptiveRetry adaptiveOrNull() {
        return tuning.adaptive;
    }

    RetryEvent event(
            int attempts,
            long start,
            long delay,
            @Nullable Throwable failure,
            @Nullable Object result,
            RetryEvent.@Nullable Reason reason) {
        return new RetryEvent(
                tuning.config.name(),
                attempts,
                Duration.ofNanos(ticker.nanoTime() - start),
                Duration.ofNanos(delay),
                failure,
                result,
                reason);
    }

    @Override
    public String toString() {
        return "RetryPolicy[" + tuning.config + "]";
    }
}
