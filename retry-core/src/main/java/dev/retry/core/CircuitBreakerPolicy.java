package dev.retry.core;

import static dev.retry.core.Nullness.castToNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Stops calling a service that keeps failing, so that it gets time to recover and callers fail fast
 * instead of waiting on it.
 *
 * <h2>How it works</h2>
 *
 * <p>While {@link CircuitState#CLOSED}, every call passes and its outcome goes into a sliding
 * window (the last N calls, or the last N seconds). Once the window holds {@code minimumCalls}
 * calls and the share of failures or of slow calls reaches its threshold, the breaker opens: calls
 * are refused with a {@link CircuitOpenException} until the open duration has passed. The first call
 * after that moves it to {@link CircuitState#HALF_OPEN}, where exactly {@code halfOpenCalls} trial
 * calls pass and any call beyond them is refused. When the last trial has reported, their failure
 * and slow rates decide: close with a fresh window, or open again, for longer if the open duration
 * grows. For {@link #callAsync}, a refused call is a future failed with the {@link
 * CircuitOpenException}, and the outcome is recorded when the call's stage completes.
 *
 * <h2>Why it is built this way</h2>
 *
 * <p>The whole state is one immutable <em>phase</em> object behind an {@link AtomicReference}:
 * a closed phase owns its window, an open phase knows until when, a half-open phase counts its
 * trials. A transition computes the next phase without touching anything else, swaps it in with one
 * compare-and-set, and only the thread whose swap succeeded then tells the listeners, so every
 * transition is published exactly once and a failed swap has nothing to undo. (Doing the side
 * effects inside the update, as some breakers do, publishes transitions twice or in the wrong
 * order when two threads race.)
 *
 * <p>The permit a call receives is the phase it was admitted in. Its outcome is recorded into that
 * phase only if it is still current: a slow call admitted while closed that finishes after the
 * breaker opened cannot count as a trial, and a trial cannot land in the fresh window of a breaker
 * that has closed since. The call path takes no lock and, with a count window, allocates nothing;
 * while the service is healthy and the count window full of successes, it writes nothing shared
 * either (see {@link CountWindow}), so threads sharing the breaker do not contend.
 *
 * <h2>Timing calls</h2>
 *
 * <p>Every call is timed, for the slow-call rule. On the real clock that would be two calls to
 * {@code System.nanoTime()}, which on a virtual machine cost more than everything else the breaker
 * does. So, when no listener needs each call's exact duration (metrics do; a log of slow calls and
 * failures does not, see {@link CircuitBreakerListener#needsExactDurations}), a
 * breaker on the system clock times its calls with a coarse clock, a reading refreshed by a daemon
 * thread every 1/64 of the slow-call duration, and at least once a second (every 1/64 s for a time
 * window, which places calls by the second). A call is then judged slow or not to within about 1.6 % of the
 * slow-call duration, which nobody setting a limit of seconds can tell apart. A slow-call duration
 * under 64 ms keeps the exact clock, as does any breaker given a ticker of its own (tests). State
 * changes (until when it stays open) always read the exact clock.
 *
 * <p>On the exact clock, a breaker right inside a retry that has read the clock at the start of the
 * call starts timing the first attempt from that reading ({@link Pipeline} explains), so a call
 * whose meters take its duration reads the clock twice in all: once at the start, once at the end.
 */
public final class CircuitBreakerPolicy extends Policy {

    private final Ticker ticker;
    private final @Nullable CircuitBreakerListener listener;
    /** The configuration and what is derived from it, read once per step; swapped whole by {@link #reconfigure}. */
    private volatile Tuning tuning;

    private final AtomicReference<Phase> phase;
    private final LongAdder notPermitted = new LongAdder();

    CircuitBreakerPolicy(CircuitBreakerConfig config, Ticker ticker, List<CircuitBreakerListener> listeners) {
        this.ticker = ticker;
        this.listener = listeners.isEmpty() ? null : new SafeCircuitBreakerListener(config.name(), listeners);
        this.tuning = new Tuning(config, callClock(config, ticker, listener != null && listener.needsExactDurations()));
        this.phase = new AtomicReference<>(closed(tuning));
    }

    /** One configuration with what the call path derives from it, so that a step never mixes two. */
    private static final class Tuning {

        final CircuitBreakerConfig config;
        /** Times calls and places them in the window: the breaker's ticker, or a coarse reading of it. */
        final Ticker callClock;

        final Class<?>[] recordOn;
        final Class<?>[] ignoreOn;

        Tuning(CircuitBreakerConfig config, Ticker callClock) {
            this.config = config;
            this.callClock = callClock;
            this.recordOn = config.recordOn().toArray(new Class<?>[0]);
            this.ignoreOn = config.ignoreOn().toArray(new Class<?>[0]);
        }
    }

    /**
     * Takes {@code newConfig} in place for the calls that follow. The state stays as it is (an open
     * breaker stays open until its time is up, then takes the new open duration and trial count
     * next time), and so does a closed breaker's window while its kind and size are unchanged: the
     * new thresholds judge the calls it already holds. A window of another kind or size starts
     * empty, as after a transition to {@code CLOSED}; the calls admitted in the old one are then not
     * counted.
     *
     * @throws IllegalArgumentException when {@code newConfig} names another breaker
     */
    public void reconfigure(CircuitBreakerConfig newConfig) {
        Objects.requireNonNull(newConfig, "newConfig must not be null");
        synchronized (phase) {
            Tuning old = tuning;
            if (!newConfig.name().equals(old.config.name())) {
                throw new IllegalArgumentException("circuit breaker '" + old.config.name()
                        + "' cannot take the configuration of '" + newConfig.name() + "'");
            }
            Tuning next = new Tuning(
                    newConfig, callClock(newConfig, ticker, listener != null && listener.needsExactDurations()));
            tuning = next;
            boolean sameWindow = old.config.windowType() == newConfig.windowType()
                    && old.config.windowSize() == newConfig.windowSize();
            if (!sameWindow) {
                while (true) {
                    Phase current = castToNonNull(phase.get());
                    if (!(current instanceof Closed) || swap(current, closed(next))) {
                        break; // an open or half-open breaker gets the new window when it closes
                    }
                }
            }
        }
    }

    /** Calls under this slow-call duration are timed with the exact clock: 1 ms of resolution is too coarse. */
    private static final long FINEST_COARSE_SLOW_CALL_NANOS = 64_000_000L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private static Ticker callClock(CircuitBreakerConfig config, Ticker ticker, boolean durationsObserved) {
        if (ticker != SystemTime.TICKER || durationsObserved || config.slowCallNanos < FINEST_COARSE_SLOW_CALL_NANOS) {
            return ticker;
        }
        long resolution = Math.min(config.slowCallNanos / 64, NANOS_PER_SECOND);
        if (config.windowType() == CircuitBreakerConfig.WindowType.TIME) {
            resolution = Math.min(resolution, NANOS_PER_SECOND / 64); // it places calls by the second
        }
        return SystemTime.coarseTicker(resolution);
    }

    /** Starts a builder with the contract's built-in defaults. */
    public static CircuitBreakerPolicyBuilder builder() {
        return new CircuitBreakerPolicyBuilder(CircuitBreakerConfig.defaults());
    }

    /**
     * A builder whose unset options keep {@code base}'s values instead of the built-in defaults.
     * Each option may still be set once, and the options are checked against each other again when
     * it builds.
     */
    public static CircuitBreakerPolicyBuilder builder(CircuitBreakerConfig base) {
        return new CircuitBreakerPolicyBuilder(base);
    }

    public CircuitBreakerConfig config() {
        return tuning.config;
    }

    public String name() {
        return tuning.config.name();
    }

    @Override
    <A, T, X extends Throwable> T execute(
            Stage next, CheckedFunction<? super A, ? extends T, ? extends X> function, A argument) throws X {
        return executeTimed(next, function, argument, null, 0L);
    }

    /** Starts timing the call from the outer layer's reading when it comes from this breaker's own call clock. */
    @Override
    <A, T, X extends Throwable> T executeStartedAt(
            Stage next,
            CheckedFunction<? super A, ? extends T, ? extends X> function,
            A argument,
            Ticker clock,
            long startNanos)
            throws X {
        return executeTimed(next, function, argument, clock, startNanos);
    }

    private <A, T, X extends Throwable> T executeTimed(
            Stage next,
            CheckedFunction<? super A, ? extends T, ? extends X> function,
            A argument,
            @Nullable Ticker startClock,
            long startNanos)
            throws X {
        Phase permit = acquire();
        if (permit.state == CircuitState.DISABLED) {
            return next.invoke(function, argument);
        }
        Ticker callClock = tuning.callClock;
        long start = startClock == callClock ? startNanos : callClock.nanoTime();
        T result;
        try {
            result = next.invoke(function, argument);
        } catch (Throwable failure) {
            record(permit, start, failure, null);
            throw Exceptions.<X>sneaky(failure);
        }
        record(permit, start, null, result);
        return result;
    }

    @Override
    <T> CompletableFuture<T> executeAsync(
            AsyncStage next, Supplier<? extends CompletionStage<T>> supplier, @Nullable Object argument) {
        Phase permit;
        try {
            permit = acquire();
        } catch (CircuitOpenException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        long start = tuning.callClock.nanoTime();
        CompletionStage<T> stage;
        try {
            stage = next.invoke(supplier);
        } catch (Throwable failure) {
            try {
                record(permit, start, failure, null);
            } catch (Throwable broken) {
                return CompletableFuture.failedFuture(broken);
            }
            return CompletableFuture.failedFuture(failure);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            Throwable cause = failure == null ? null : Exceptions.unwrap(failure);
            if (permit.state != CircuitState.DISABLED) {
                try {
                    record(permit, start, cause, value);
                } catch (Throwable broken) {
                    result.completeExceptionally(broken); // nothing else would complete it
                    return;
                }
            }
            if (cause == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    /** The current state; an open breaker whose time is up reports (and becomes) half-open. */
    public CircuitState state() {
        return current().state;
    }

    /** The breaker's state and counts at this moment. */
    public CircuitBreakerSnapshot snapshot() {
        Phase current = current();
        CircuitBreakerConfig config = tuning.config;
        SlidingWindow.Counts counts = current.counts(tuning.callClock.nanoTime());
        int minimum = current.state == CircuitState.HALF_OPEN ? config.halfOpenCalls() : config.minimumCalls();
        return new CircuitBreakerSnapshot(
                current.state,
                SlidingWindow.rate(counts.failures(), counts.calls(), minimum),
                SlidingWindow.rate(counts.slowCalls(), counts.calls(), minimum),
                saturatedInt(counts.calls()),
                saturatedInt(counts.failures()),
                saturatedInt(counts.slowCalls()),
                notPermitted.sum());
    }

    /** A snapshot's counts are ints; a time window past two billion calls shows that much, its rates stay exact. */
    private static int saturatedInt(long count) {
        return (int) Math.min(count, Integer.MAX_VALUE);
    }

    /**
     * Moves the breaker to {@code target}, as an operator would: {@code CLOSED} and {@code
     * HALF_OPEN} start with fresh counts, {@code OPEN} opens for the configured open duration.
     */
    public void transitionTo(CircuitState target) {
        java.util.Objects.requireNonNull(target, "target must not be null");
        while (true) {
            Phase from = castToNonNull(phase.get());
            Phase to = switch (target) {
                case CLOSED -> closed(tuning);
                case OPEN -> open(0, from.totalsSource(), tuning.config);
                case HALF_OPEN -> new HalfOpen(0);
                case FORCED_OPEN -> new Phase(CircuitState.FORCED_OPEN);
                case DISABLED -> new Phase(CircuitState.DISABLED);
            };
            if (swap(from, to)) {
                return;
            }
        }
    }

    /** Closes the breaker with fresh counts and forgets refused calls and grown open durations. */
    public void reset() {
        transitionTo(CircuitState.CLOSED);
        notPermitted.reset();
    }

    // ---- the state machine -----------------------------------------------------------------

    private Phase current() {
        while (true) {
            Phase current = castToNonNull(phase.get());
            if (!(current instanceof Open open) || ticker.nanoTime() - open.until < 0) {
                return current;
            }
            swap(open, new HalfOpen(open.failedProbes));
        }
    }

    /** Returns the phase the call is admitted in, or throws if it is refused. */
    private Phase acquire() {
        CircuitBreakerConfig config = tuning.config;
        while (true) {
            Phase current = castToNonNull(phase.get());
            switch (current.state) {
                case CLOSED, DISABLED -> {
                    return current;
                }
                case HALF_OPEN -> {
                    if (((HalfOpen) current).tryTakeTrial(config.halfOpenCalls())) {
                        return current;
                    }
                    throw refuse(current, null, "all " + config.halfOpenCalls() + " trial calls are taken");
                }
                case OPEN -> {
                    Open open = (Open) current;
                    long remaining = open.until - ticker.nanoTime();
                    if (remaining > 0) {
                        throw refuse(
                                current,
                                Duration.ofNanos(remaining),
                                "it lets trial calls through in " + Durations.format(Duration.ofNanos(remaining)));
                    }
                    swap(open, new HalfOpen(open.failedProbes)); // and look again: this call may be a trial
                }
                default -> throw refuse(current, null, "it stays open until it is moved to another state");
            }
        }
    }

    private CircuitOpenException refuse(Phase current, @Nullable Duration remaining, String detail) {
        CircuitBreakerConfig config = tuning.config;
        notPermitted.increment();
        if (listener != null) {
            listener.onCallRejected(config.name(), current.state);
        }
        return new CircuitOpenException(config.name(), current.state, remaining, detail);
    }

    private void record(Phase permit, long start, @Nullable Throwable failure, @Nullable Object result) {
        Tuning tuned = tuning;
        CircuitBreakerConfig config = tuned.config;
        long now = tuned.callClock.nanoTime();
        long duration = now - start;
        CircuitBreakerListener.Outcome outcome;
        try {
            outcome = classify(failure, result, tuned);
        } catch (Throwable broken) {
            // A user's rule threw: the call counts neither way, and a trial it held goes to the next
            // call, or no call would ever report it and the breaker would stay half-open for good.
            if (permit instanceof HalfOpen trial) {
                trial.returnTrial();
            }
            Exceptions.attachSuppressed(broken, failure);
            throw Exceptions.<RuntimeException>sneaky(broken);
        }
        boolean slow = duration >= config.slowCallNanos;
        Throwable listenerError = null;
        if (listener != null) {
            try {
                listener.onCallRecorded(config.name(), outcome, slow, duration);
            } catch (Throwable error) {
                // Only an Error gets here (the listeners' wrapper logs what else they throw). It still
                // reaches the caller, but after the call is on the books: a half-open trial left
                // unrecorded would keep the breaker half-open, refusing every call, for good.
                listenerError = error;
            }
        }
        count(permit, outcome, slow, now, tuned);
        if (listenerError != null) {
            throw Exceptions.<RuntimeException>sneaky(listenerError);
        }
    }

    /** Puts one recorded call on the books of the phase it was admitted in, if that phase is current. */
    private void count(Phase permit, CircuitBreakerListener.Outcome outcome, boolean slow, long now, Tuning tuned) {
        CircuitBreakerConfig config = tuned.config;
        if (permit != phase.get()) {
            return; // admitted in a phase that has ended: its outcome belongs to no current count
        }
        if (permit instanceof Closed closed) {
            if (outcome == CircuitBreakerListener.Outcome.IGNORED) {
                return;
            }
            if (closed.window.recordAndJudge(
                    outcome == CircuitBreakerListener.Outcome.FAILURE,
                    slow,
                    now,
                    config.minimumCalls(),
                    config.failureRateThreshold(),
                    config.slowCallRateThreshold())) {
                swap(closed, open(0, closed, config));
            }
        } else if (permit instanceof HalfOpen trial) {
            if (outcome == CircuitBreakerListener.Outcome.IGNORED) {
                trial.returnTrial(); // let another call be the trial that counts
                return;
            }
            long totals = trial.record(outcome == CircuitBreakerListener.Outcome.FAILURE, slow);
            // At least, not exactly: fewer trials configured meanwhile must still end the round. Of
            // two trials that see it, the first swap decides and the other's fails.
            if (SlidingWindow.calls(totals) >= config.halfOpenCalls()) {
                boolean stillFailing =
                        SlidingWindow.exceeds(totals, 1, config.failureRateThreshold(), config.slowCallRateThreshold());
                swap(trial, stillFailing ? open(trial.failedProbes + 1, trial, config) : closed(tuned));
            }
        }
    }

    private static CircuitBreakerListener.Outcome classify(
            @Nullable Throwable failure, @Nullable Object result, Tuning tuned) {
        CircuitBreakerConfig config = tuned.config;
        Class<?>[] recordOn = tuned.recordOn;
        if (failure == null) {
            return config.recordResultIf != null && config.recordResultIf.test(result)
                    ? CircuitBreakerListener.Outcome.FAILURE
                    : CircuitBreakerListener.Outcome.SUCCESS;
        }
        // Refusals say nothing about the callee's health. In the contract's order neither reaches a
        // breaker's books (a bulkhead sits outside it), but a breaker called by hand might see them.
        if (failure instanceof CircuitOpenException
                || failure instanceof BulkheadFullException
                || FailureClassifier.matchesInCauseChain(failure, tuned.ignoreOn)) {
            return CircuitBreakerListener.Outcome.IGNORED;
        }
        if (config.successIf != null && config.successIf.test(failure)) {
            return CircuitBreakerListener.Outcome.SUCCESS; // an answer, such as "not found", not a sign of trouble
        }
        if (recordOn.length == 0 && config.recordIf == null) {
            // Errors are bugs in this process, not news about the callee's health.
            return failure instanceof Exception
                    ? CircuitBreakerListener.Outcome.FAILURE
                    : CircuitBreakerListener.Outcome.IGNORED;
        }
        if (FailureClassifier.matchesInCauseChain(failure, recordOn)
                || (config.recordIf != null && config.recordIf.test(failure))) {
            return CircuitBreakerListener.Outcome.FAILURE;
        }
        return CircuitBreakerListener.Outcome.SUCCESS; // the callee answered, just not with what we wanted
    }

    /** Swaps {@code from} for {@code to}; publishes the transition only if this thread's swap won. */
    private boolean swap(Phase from, Phase to) {
        if (!phase.compareAndSet(from, to)) {
            return false;
        }
        if (listener != null && from.state != to.state) {
            listener.onStateTransition(tuning.config.name(), from.state, to.state);
        }
        return true;
    }

    private static Closed closed(Tuning tuned) {
        CircuitBreakerConfig config = tuned.config;
        SlidingWindow window = config.windowType() == CircuitBreakerConfig.WindowType.COUNT
                ? new CountWindow(config.windowSize())
                : new TimeWindow(config.windowSize(), tuned.callClock.nanoTime());
        return new Closed(window);
    }

    private Open open(int failedProbes, Phase before, CircuitBreakerConfig config) {
        return new Open(ticker.nanoTime() + config.openNanos(failedProbes), failedProbes, before.totalsSource());
    }

    // ---- phases: immutable apart from the counters they own ------------------------------------

    /** A state as the breaker holds it; forced-open and disabled need nothing more. */
    static class Phase {

        private static final SlidingWindow.Counts NO_CALLS = new SlidingWindow.Counts(0L, 0L, 0L);

        final CircuitState state;

        Phase(CircuitState state) {
            this.state = state;
        }

        /** The counts a snapshot shows in this phase. */
        SlidingWindow.Counts counts(long now) {
            return NO_CALLS;
        }

        /** What an open phase that follows this one keeps showing. */
        Phase totalsSource() {
            return this;
        }
    }

    static final class Closed extends Phase {

        final SlidingWindow window;

        Closed(SlidingWindow window) {
            super(CircuitState.CLOSED);
            this.window = window;
        }

        @Override
        SlidingWindow.Counts counts(long now) {
            return window.counts(now);
        }
    }

    static final class Open extends Phase {

        final long until;
        final int failedProbes;
        private final Phase shown;

        Open(long until, int failedProbes, Phase shown) {
            super(CircuitState.OPEN);
            this.until = until;
            this.failedProbes = failedProbes;
            this.shown = shown;
        }

        @Override
        SlidingWindow.Counts counts(long now) {
            return shown.counts(now);
        }

        @Override
        Phase totalsSource() {
            return shown;
        }
    }

    static final class HalfOpen extends Phase {

        final int failedProbes;
        private final java.util.concurrent.atomic.AtomicInteger trialsTaken =
                new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicLong results = new java.util.concurrent.atomic.AtomicLong();

        HalfOpen(int failedProbes) {
            super(CircuitState.HALF_OPEN);
            this.failedProbes = failedProbes;
        }

        boolean tryTakeTrial(int trials) {
            while (true) {
                int taken = trialsTaken.get();
                if (taken >= trials) {
                    return false;
                }
                if (trialsTaken.compareAndSet(taken, taken + 1)) {
                    return true;
                }
            }
        }

        void returnTrial() {
            trialsTaken.decrementAndGet();
        }

        long record(boolean failed, boolean slow) {
            return results.addAndGet(SlidingWindow.one(failed, slow));
        }

        @Override
        SlidingWindow.Counts counts(long now) {
            return SlidingWindow.Counts.unpack(results.get());
        }
    }
}
