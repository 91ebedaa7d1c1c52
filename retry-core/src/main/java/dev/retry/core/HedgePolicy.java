package dev.retry.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Cuts the slow tail of a call's latency by not waiting for one slow attempt: when an attempt has
 * not finished after a delay, the policy starts another, and takes whichever succeeds first.
 *
 * <pre>{@code
 * HedgePolicy hedge = HedgePolicy.builder().delayPercentile(95, ofMillis(10), ofSeconds(1)).budget(0.05).build();
 * Page page = hedge.call(() -> search.query(terms));            // IOException passes through as it is
 * CompletableFuture<Page> later = hedge.callAsync(() -> search.queryAsync(terms));
 * }</pre>
 *
 * <h2>How a call runs</h2>
 *
 * <p>The call starts its primary attempt and arms a timer. If no attempt has succeeded when the
 * timer fires, a hedge starts, the same call made once more, and the timer is armed again, until
 * {@code maxHedges} hedges have started. The first attempt to succeed wins: the caller gets its
 * result and every other attempt is cancelled (a synchronous one by interrupting its thread, an
 * asynchronous one by cancelling its stage). A failed attempt does not win while another is still
 * running, since that one may yet succeed; when every attempt started has failed, the call throws
 * the last failure with the distinct earlier ones attached as suppressed. A failure never starts a
 * hedge before its time: hedging answers slowness, and failures are the retry policy's business,
 * which in the contract's order wraps the hedge, so each retry attempt is hedged anew.
 *
 * <p>A synchronous call runs all its attempts, the primary included, on the policy's executor and
 * waits; the caller's thread is free to return the moment any attempt wins. An interrupt of the
 * waiting caller cancels every attempt, leaves the interrupt flag set and throws a {@link
 * java.util.concurrent.CancellationException} (an {@link InterruptedException} cannot pass through
 * {@code throws X}, and no failure of the call's own exists to throw): it carries the interrupt as
 * its cause and any failures so far as suppressed. An asynchronous call blocks nobody: its hedges
 * are started by the scheduler.
 *
 * <h2>The delay</h2>
 *
 * <p>A fixed delay is simple, but the right one depends on the service's latency, which moves. An
 * adaptive delay is a percentile of the latencies of recent calls (the last ten seconds, counted in
 * a lock-free histogram of bounded size and error), kept within configured bounds: at p95 about
 * one call in twenty hedges, whatever the service's speed.
 *
 * <p>What is learnt from is the primary attempt's latency, since the primary is what the delay
 * races: each call whose primary did not fail records the time to its first success. When the
 * primary won, that is its latency. When a hedge beat it, the primary is cancelled unfinished, and
 * the time it had run is a lower bound of its latency that still lies above the delay (no hedge
 * starts before it). So every latency at or below the delay is recorded exactly, and the share of
 * calls slower than the delay is recorded truly. Percentiles above the delay read low, but never
 * as low as the delay: a delay below the true percentile therefore climbs towards it at each
 * reading, and one above it falls to it at once. Hedging cannot drag its own delay down. Two rules
 * that look as natural would: recording the winning attempt's own latency, or recording nothing
 * when a hedge won, both drop the slowest primaries, which are exactly the ones above the
 * percentile, and the delay sinks until more calls hedge than the percentile promised (dropping
 * them hedges 7.5 % of calls at p95 rather than 5 % in the slow-tail simulation).
 *
 * <p>Until the window holds enough latencies for the percentile to mean something (enough that
 * about five lie above it: 100 for p95, 500 for p99), the policy waits the fallback delay: the one
 * set with {@link HedgePolicyBuilder#delay}, else the default 100 ms brought within the bounds.
 * Not the lower bound: a policy that has just started would then hedge nearly every call it makes
 * while it learns (in the slow-tail simulation, 37 % of its first second's calls rather than 5 %),
 * and a fleet of clients restarted together would double the load on their service. The percentile is read again
 * at most every {@value #DELAY_REFRESH_MILLIS} ms, so a call does not walk the histogram.
 *
 * <h2>The budget</h2>
 *
 * <p>When a whole service slows down, every call would hedge and the load would double just when
 * the service can least bear it. A {@link HedgeBudget} caps hedges at a share of calls over a
 * sliding window; a hedge it refuses is not started, the call goes on waiting for the attempts it
 * has, and the listener hears of it.
 *
 * <h2>Context</h2>
 *
 * <p>Every attempt of one call sees the same {@link RetryContext}: the attempt number of the
 * enclosing retry (1 when there is none) and the same idempotency key, drawn before the first
 * attempt starts and handed back to the enclosing retry, so that all its attempts and all their
 * hedges share one key. That is what lets a server tell that two hedged requests are one.
 *
 * <p>A policy is immutable and safe to share between any number of threads; its budget and its
 * latencies are its only shared state.
 */
public final class HedgePolicy extends Policy {

    /** How often an adaptive delay is read again from the latencies. */
    static final long DELAY_REFRESH_MILLIS = 100;

    private static final long DELAY_REFRESH_NANOS = DELAY_REFRESH_MILLIS * 1_000_000L;

    /** The configuration and what is derived from it, read once per call; swapped whole by {@link #reconfigure}. */
    private volatile Tuning tuning;

    final Executor executor;
    final Ticker ticker;
    final Scheduler scheduler;
    private final @Nullable HedgeListener listener;
    /** Whether a listener overrides {@link HedgeListener#onPrimaryWon}: the healthy call's one event. */
    private final boolean primaryWinHeard;

    /** When the adaptive delay is next read from the latencies, and what it was last time. */
    private final AtomicLong nextDelayRefresh;

    private volatile long adaptiveDelayNanos;

    HedgePolicy(
            HedgeConfig config, Executor executor, Ticker ticker, Scheduler scheduler, List<HedgeListener> listeners) {
        this.executor = executor;
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.listener = listeners.isEmpty() ? null : new SafeHedgeListener(config.name(), listeners);
        this.primaryWinHeard = listeners.stream().anyMatch(SafeHedgeListener::hearsPrimaryWins);
        this.tuning = tune(config, null);
        this.nextDelayRefresh = new AtomicLong(config.adaptive() ? ticker.nanoTime() : 0L);
        this.adaptiveDelayNanos = config.delayNanos;
    }

    /** One configuration with what the call path derives from it, so that a call never mixes two. */
    static final class Tuning {

        final HedgeConfig config;
        final @Nullable HedgeBudget budget;
        final @Nullable LatencyHistogram latencies;
        final boolean timed;

        Tuning(HedgeConfig config, @Nullable HedgeBudget budget, @Nullable LatencyHistogram latencies, boolean timed) {
            this.config = config;
            this.budget = budget;
            this.latencies = latencies;
            this.timed = timed;
        }
    }

    /** Keeps the old budget while its ratio holds, and the latencies seen while the delay stays adaptive. */
    private Tuning tune(HedgeConfig config, @Nullable Tuning old) {
        HedgeBudget budget = null;
        if (config.budgetRatio() > 0) {
            budget = old != null && old.budget != null && old.budget.ratio() == config.budgetRatio()
                    ? old.budget
                    : new HedgeBudget(config.budgetRatio(), ticker);
        }
        LatencyHistogram latencies = null;
        if (config.adaptive()) {
            latencies = old != null && old.latencies != null ? old.latencies : new LatencyHistogram(ticker);
        }
        return new Tuning(config, budget, latencies, latencies != null || listener != null);
    }

    /**
     * Takes {@code newConfig} in place for the calls that start from now on; a call already running
     * keeps the delay and number of hedges it started with. The budget carries over while its ratio
     * is unchanged, the latencies an adaptive delay follows while it stays adaptive; an adaptive
     * delay is read afresh, under the new percentile and bounds, by the next call.
     *
     * @throws IllegalArgumentException when {@code newConfig} names another policy
     */
    public void reconfigure(HedgeConfig newConfig) {
        Objects.requireNonNull(newConfig, "newConfig must not be null");
        synchronized (this) {
            Tuning old = tuning;
            if (!newConfig.name().equals(old.config.name())) {
                throw new IllegalArgumentException("hedge policy '" + old.config.name()
                        + "' cannot take the configuration of '" + newConfig.name() + "'");
            }
            Tuning next = tune(newConfig, old);
            adaptiveDelayNanos = newConfig.delayNanos;
            nextDelayRefresh.set(ticker.nanoTime());
            tuning = next;
        }
    }

    /** Starts a builder with the contract's built-in defaults. */
    public static HedgePolicyBuilder builder() {
        return new HedgePolicyBuilder(HedgeConfig.defaults());
    }

    /**
     * A builder whose unset options keep {@code base}'s values instead of the built-in defaults.
     * Each option may still be set once; a {@code delay} set alone replaces the base's delay,
     * adaptive or not, with a fixed one.
     */
    public static HedgePolicyBuilder builder(HedgeConfig base) {
        return new HedgePolicyBuilder(base);
    }

    /** A policy with the built-in defaults: one hedge after 100 ms, no budget. */
    public static HedgePolicy ofDefaults() {
        return builder().build();
    }

    public HedgeConfig config() {
        return tuning.config;
    }

    /** The policy's shared hedge budget, when it has one. */
    public Optional<HedgeBudget> budget() {
        return Optional.ofNullable(tuning.budget);
    }

    /**
     * The delay a call starting now waits before each hedge: the fixed delay, or the adaptive
     * delay as last read from recent latencies.
     */
    public Duration currentDelay() {
        return Duration.ofNanos(delayNanos(tuning));
    }

    /** Runs each attempt through {@code next}, the rest of a pipeline. */
    @Override
    <A, T, X extends Throwable> T execute(
            Stage next, CheckedFunction<? super A, ? extends T, ? extends X> function, A argument) throws X {
        RetryContext context = RetryContext.forCurrentThread();
        Tuning tuned = tuning;
        if (tuned.config.maxHedges() == 0) {
            return callHere(context, next, function, argument);
        }
        SyncHedgeExecution<A, T, X> execution =
                new SyncHedgeExecution<>(this, tuned, next, function, argument, attemptOf(context), keyOf(context));
        return execution.call();
    }

    /** Runs each attempt through {@code next}, the rest of a pipeline. */
    @Override
    <T> CompletableFuture<T> executeAsync(
            AsyncStage next, Supplier<? extends CompletionStage<T>> supplier, @Nullable Object argument) {
        RetryContext context = RetryContext.forCurrentThread();
        AsyncHedgeExecution<T> execution =
                new AsyncHedgeExecution<>(this, tuning, next, supplier, attemptOf(context), keyOf(context));
        execution.begin();
        return execution;
    }

    /** Without hedges there is nobody to race: the call runs on the caller's thread, as if unhedged. */
    private static <A, T, X extends Throwable> T callHere(
            RetryContext context, Stage next, CheckedFunction<? super A, ? extends T, ? extends X> function, A argument)
            throws X {
        boolean began = context.beginSingleAttempt();
        try {
            return next.invoke(function, argument);
        } finally {
            if (began) {
                context.endSingleAttempt();
            }
        }
    }

    /** The attempt number the hedges see: the enclosing retry's, or 1 for a call made alone. */
    private static int attemptOf(RetryContext context) {
        return context.attempt != 0 ? context.attempt : 1;
    }

    /**
     * The call's key. Inside an enclosing call, that call's, drawn now if nobody has asked for it
     * yet, so that the enclosing call gets it back in its context and keeps it for its next
     * attempts. A call made alone keeps its key to itself, so that it cannot leak into the thread's
     * next call, and draws it only when an attempt first asks ({@code null} until then).
     */
    private static @Nullable String keyOf(RetryContext context) {
        return context.attempt == 0 ? null : context.idempotencyKey();
    }

    /** The delay before each hedge of a call starting now, in nanoseconds. */
    long delayNanos(Tuning tuned) {
        HedgeConfig config = tuned.config;
        LatencyHistogram latencies = tuned.latencies;
        if (latencies == null) {
            return config.delayNanos;
        }
        long now = ticker.nanoTime();
        long due = nextDelayRefresh.get();
        // One thread reads the latencies per interval; the others use the delay it last read.
        if (now - due >= 0 && nextDelayRefresh.compareAndSet(due, now + DELAY_REFRESH_NANOS)) {
            long percentile = latencies.valueAtPercentile(config.percentile, config.minSamples);
            adaptiveDelayNanos = percentile < 0
                    ? config.delayNanos
                    : Math.max(config.minDelayNanos, Math.min(config.maxDelayNanos, percentile));
        }
        return adaptiveDelayNanos;
    }

    /** The configuration the next call starts with. */
    Tuning tuning() {
        return tuning;
    }

    /** Counts the latency of one call, when the delay follows latencies. */
    void recordLatency(long nanos) {
        LatencyHistogram latencies = tuning.latencies;
        if (latencies != null) {
            latencies.record(nanos);
        }
    }

    /** The latencies an adaptive delay follows; {@code null} for a fixed delay. */
    @Nullable
    LatencyHistogram latencies() {
        return tuning.latencies;
    }

    @Nullable
    HedgeListener listener() {
        return listener;
    }

    /** Whether a call whose primary won has anyone to tell; when not, no event is built for it. */
    boolean primaryWinHeard() {
        return primaryWinHeard;
    }

    HedgeEvent event(int attempts, int winner, long delayNanos, long start, @Nullable Throwable failure) {
        return new HedgeEvent(
                tuning.config.name(),
                attempts,
                winner,
                Duration.ofNanos(delayNanos),
                Duration.ofNanos(ticker.nanoTime() - start),
                failure);
    }

    @Override
    public String toString() {
        return "HedgePolicy[" + tuning.config + "]";
    }
}
