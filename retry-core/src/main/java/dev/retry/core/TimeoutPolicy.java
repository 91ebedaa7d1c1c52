package dev.retry.core;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Bounds the time each attempt may take: an attempt still running at its deadline fails with
 * {@link AttemptTimeoutException}.
 *
 * <pre>{@code
 * TimeoutPolicy timeout = TimeoutPolicy.builder().name("catalog").duration(Duration.ofMillis(800)).build();
 * Page page = timeout.call(() -> catalog.fetch(id));                 // runs on this thread
 * CompletableFuture<Page> later = timeout.callAsync(() -> catalog.fetchAsync(id));
 * }</pre>
 *
 * <h2>A synchronous attempt runs on the caller's thread</h2>
 *
 * <p>A common way to time out a blocking call is to run it on another thread and stop waiting at
 * the deadline. This policy does not: thread-bound state (a transaction, a security context, any
 * {@code ThreadLocal}) must keep working inside the attempt, and an abandoned attempt would go on
 * running and holding what it holds. So the attempt runs where the caller is; at the deadline (kept
 * by the {@link TimeoutWatchdog} on the real clock and timer, by a timer on the policy's own {@link
 * Scheduler} otherwise) the timeout, unless {@code interrupt} is off, interrupts the caller's
 * thread, which most blocking operations (interruptible channels, locks, queues, sleeps, drivers
 * that honour it) answer by giving up. The call fails with {@link AttemptTimeoutException} as soon as
 * the attempt returns, whatever it returned or threw; what it threw is attached as suppressed. An
 * attempt that ignores interrupts runs to its end: a timeout on the caller's thread can ask it to
 * stop, never force it.
 *
 * <h2>An interrupt that never strays and never stays</h2>
 *
 * <p>The timer and the attempt's end race, on different threads, and an interrupt is a flag on a
 * thread that outlives the attempt. Two things must never happen: the timer interrupting the thread
 * after the attempt has returned (by then the thread is doing something else, perhaps the next call,
 * which the stray interrupt would break), and the caller getting its thread back with the timeout's
 * own interrupt still set. Each call therefore carries a small state machine, one {@code int} changed
 * by compare-and-set ({@link SyncTimeoutExecution}):
 *
 * <pre>
 * RUNNING ──the attempt returns──▶ FINISHED                       in time; the timer will do nothing
 * RUNNING ──the timer fires──────▶ INTERRUPTING ──▶ INTERRUPTED   its interrupt has landed
 *                                               └─▶ EXPIRED       it delivered none (see below)
 * RUNNING ──the timer fires, interrupt off──▶ EXPIRED
 * </pre>
 *
 * <p>The first to move the state out of RUNNING wins. The attempt's end tries RUNNING → FINISHED
 * before it does anything else; if that succeeds, the timer, whenever it fires, finds FINISHED and
 * does nothing, so no interrupt can follow the attempt. The timer tries RUNNING → INTERRUPTING and
 * only then interrupts, so it only ever interrupts a thread whose attempt has not returned. When the
 * attempt's end loses, the timer is between its compare-and-set and its {@code interrupt()}, or past
 * both: the finishing thread spins until the state leaves INTERRUPTING (a few instructions on the
 * timer's side; it yields instead should the timer's thread be descheduled in between, and never
 * blocks), which proves the interrupt has landed, and only then clears it. So the timeout's
 * interrupt always lands before the call returns and is always gone when it does.
 *
 * <p>The flag is a single bit, so "clear exactly our own interrupt" needs two rules. When the timer
 * fires on a thread that is already interrupted, someone else asked it to stop first: the timer
 * delivers nothing (EXPIRED) and the flag is left alone for the caller to see. When the timer did
 * interrupt, the flag at the attempt's end is the timer's, and it is cleared. The one thing that
 * cannot be told apart is an interrupt someone else delivers after the timer's and before the attempt
 * returns: it is the same bit, already set, and is cleared with it (the attempt was being stopped
 * anyway). An interrupt delivered after the attempt has returned is always kept. Nested timeouts on
 * one thread follow the same rules and leave each other's interrupts alone.
 *
 * <p>On the real clock and timer ({@link Scheduler#system()}, {@link Ticker#system()}, the
 * defaults) the state lives in a slot of the calling thread's own that one watchdog thread watches,
 * with a generation beside it so that a deadline never fires on the thread's next attempt: a call
 * allocates nothing, and the deadline fires within about {@link TimeoutWatchdog#TICK_NANOS a
 * millisecond} of passing. With a scheduler of the user's own (a test's virtual one), the state lives
 * in the object the timer runs, so a call allocates that one small object and whatever its scheduler
 * allocates for a timer; nothing more, listeners or not. A timeout nested in another on the same
 * thread takes that path too. The call also reads
 * the clock twice: an attempt that returns past its deadline fails even when the timer was late (a
 * busy scheduler), since it did overrun; that is then decided without any interrupt.
 *
 * <h2>An asynchronous attempt</h2>
 *
 * <p>A {@code CompletionStage} attempt blocks nobody, so nobody is interrupted: at the deadline the
 * timer cancels the attempt's stage ({@code toCompletableFuture().cancel(true)}, where the stage
 * supports it) and then fails the returned future with {@link AttemptTimeoutException}, in that
 * order, so that whatever the failure reaches (a bulkhead handing on its permit, a retry starting
 * again) finds the timed-out work already told to stop. Cancelling the returned future cancels the
 * attempt and the timer.
 *
 * <h2>In a pipeline</h2>
 *
 * <p>The timeout sits inside the circuit breaker, which counts a timed-out attempt as a failure, and
 * outside the hedge, so it bounds an attempt together with its hedges: a hedged synchronous caller
 * waits for its attempts, the interrupt ends that wait and the hedge cancels every attempt; a hedged
 * asynchronous call's stage is cancelled, and with it every attempt. Each retry attempt gets a fresh
 * deadline, and is retried after a timeout like after any failure.
 *
 * <p>A policy is immutable and safe to share between any number of threads; it has no shared state.
 */
public final class TimeoutPolicy extends Policy {

    /** Read once per attempt; swapped whole by {@link #reconfigure(TimeoutConfig)}. */
    private volatile TimeoutConfig config;

    final Scheduler scheduler;
    final Ticker ticker;
    private final @Nullable TimeoutListener listener;
    /**
     * Whether synchronous attempts are timed by the {@link TimeoutWatchdog} rather than a timer per
     * attempt: only on the real clock and timer, so that a test's scheduler sees every deadline.
     */
    private final boolean watched;

    TimeoutPolicy(TimeoutConfig config, Scheduler scheduler, Ticker ticker, List<TimeoutListener> listeners) {
        this.config = config;
        this.scheduler = scheduler;
        this.ticker = ticker;
        this.listener = listeners.isEmpty() ? null : new SafeTimeoutListener(listeners);
        this.watched = scheduler == SystemTime.scheduler() && ticker == SystemTime.TICKER;
    }

    /** Starts a builder with the contract's built-in defaults. */
    public static TimeoutPolicyBuilder builder() {
        return new TimeoutPolicyBuilder(TimeoutConfig.defaults());
    }

    /** A builder whose unset options keep {@code base}'s values instead of the built-in defaults. */
    public static TimeoutPolicyBuilder builder(TimeoutConfig base) {
        return new TimeoutPolicyBuilder(base);
    }

    /** A policy with the built-in defaults: 1 s, interrupting. */
    public static TimeoutPolicy ofDefaults() {
        return builder().build();
    }

    public TimeoutConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /**
     * Takes {@code newConfig} in place: attempts that start from now on are limited by its duration;
     * an attempt already running keeps the deadline it started with.
     *
     * @throws IllegalArgumentException when {@code newConfig} names another timeout
     */
    public void reconfigure(TimeoutConfig newConfig) {
        java.util.Objects.requireNonNull(newConfig, "newConfig must not be null");
        if (!newConfig.name().equals(config.name())) {
            throw new IllegalArgumentException(
                    "timeout '" + config.name() + "' cannot take the configuration of '" + newConfig.name() + "'");
        }
        config = newConfig;
    }

    /** Runs the attempt through {@code next}, the rest of a pipeline, on this thread. */
    @Override
    @SuppressWarnings("NullAway") // a null T is the caller's own result: see Nullness
    <A, T, X extends Throwable> T execute(
            Stage next, CheckedFunction<? super A, ? extends T, ? extends X> function, A argument) throws X {
        TimeoutConfig config = this.config;
        long start = ticker.nanoTime();
        TimeoutWatchdog.Slot slot = watched ? TimeoutWatchdog.freeSlot() : null;
        SyncTimeoutExecution deadline = null;
        Scheduler.Cancellable timer = null;
        if (slot != null) {
            slot.arm(start + config.durationNanos, config.interrupt());
        } else {
            deadline = new SyncTimeoutExecution(Thread.currentThread(), config.interrupt());
            timer = scheduler.schedule(deadline, config.durationNanos);
        }
        T result = null;
        Throwable failure = null;
        try {
            result = next.invoke(function, argument);
        } catch (Throwable thrown) {
            failure = thrown;
        }
        // First shut the window in which the deadline may interrupt; tidying up comes after.
        boolean inTime;
        if (slot != null) {
            inTime = slot.finish();
        } else {
            inTime = Objects.requireNonNull(deadline).finish();
            Objects.requireNonNull(timer).cancel();
        }
        long elapsed = ticker.nanoTime() - start;
        if (!inTime || elapsed >= config.durationNanos) {
            tell(TimeoutListener.Outcome.TIMEOUT, elapsed);
            throw timedOut(failure, config);
        }
        if (failure != null) {
            tell(TimeoutListener.Outcome.FAILURE, elapsed);
            throw Exceptions.<X>sneaky(failure);
        }
        tell(TimeoutListener.Outcome.SUCCESS, elapsed);
        return result;
    }

    /** Runs the attempt through {@code next}, the rest of a pipeline. */
    @Override
    <T> CompletableFuture<T> executeAsync(
            AsyncStage next, Supplier<? extends CompletionStage<T>> supplier, @Nullable Object argument) {
        return AsyncTimeoutExecution.start(this, next, supplier);
    }

    AttemptTimeoutException timedOut(@Nullable Throwable attemptFailure, TimeoutConfig config) {
        AttemptTimeoutException timedOut = new AttemptTimeoutException(config.name(), config.duration());
        Exceptions.attachSuppressed(timedOut, attemptFailure);
        return timedOut;
    }

    void tell(TimeoutListener.Outcome outcome, long durationNanos) {
        if (listener != null) {
            listener.onAttemptFinished(config.name(), outcome, durationNanos);
        }
    }

    @Override
    public String toString() {
        return "TimeoutPolicy[" + config + "]";
    }
}
