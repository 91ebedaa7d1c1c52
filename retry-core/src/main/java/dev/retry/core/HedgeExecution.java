package dev.retry.core;

import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One call of a {@link HedgePolicy}: the primary attempt, the timer that starts each hedge, and the
 * decision of which outcome becomes the call's. Subclasses say how an attempt is started and
 * stopped: on the executor for synchronous calls, as a stage for asynchronous ones.
 *
 * <h2>Who decides</h2>
 *
 * <p>Attempt outcomes, hedge timers and the caller's giving up arrive on different threads. Each
 * takes this object's monitor only to update the counts and, once per call, to set {@link
 * #decided}; whoever sets it does the side effects afterwards, outside the monitor, in this order:
 * cancel the timer and the other attempts, record the latency, tell the listener, and last hand the
 * outcome to the caller. So a caller that has its outcome knows that every event of its call has
 * been published and every loser told to stop.
 *
 * <p>A timer armed while the call is being decided is never missed, since both take the monitor.
 * Nor is an attempt launched meanwhile: the decider writes {@code decided} before it reads the
 * attempts registered, a launcher registers its attempt before it reads {@code decided}, both
 * through volatile accesses, so at least one of them sees the other and cancels the attempt
 * (cancelling twice is harmless).
 *
 * <h2>Why it is a future</h2>
 *
 * <p>An asynchronous call hands the caller a future; making the execution that future saves an
 * object and the completion hook that would tie the two together, on every call. So the class is a
 * {@link CompletableFuture}: the asynchronous subclass is the caller's future, and the synchronous
 * one simply never completes it.
 */
abstract class HedgeExecution<T> extends CompletableFuture<T> implements Runnable, RetryContext.SharedKey {

    final HedgePolicy policy;
    /** What the attempts see in their {@link RetryContext}. */
    final int contextAttempt;

    /** The call's key: the enclosing call's, or for a call made alone drawn when an attempt first asks. */
    private volatile @Nullable String key;
    /** The primary attempt plus the hedges allowed. */
    final int maxAttempts;

    private final long delayNanos;
    private final long start;

    // Guarded by this.
    private int started;
    private int failed;
    private boolean primaryFailed;
    private @Nullable EarlierFailures failures;
    /** The latest timer armed, and the hedge it will start. */
    private Scheduler.@Nullable Cancellable pendingHedge;

    private int pendingHedgeIndex;

    private volatile boolean decided;
    /** The policy's configuration when the call started, which it keeps to the end. */
    final HedgePolicy.Tuning tuned;

    HedgeExecution(HedgePolicy policy, HedgePolicy.Tuning tuned, int contextAttempt, @Nullable String key) {
        this.policy = policy;
        this.tuned = tuned;
        this.contextAttempt = contextAttempt;
        this.key = key;
        this.maxAttempts = tuned.config.maxHedges() + 1;
        this.delayNanos = policy.delayNanos(tuned);
        this.start = tuned.timed ? policy.ticker.nanoTime() : 0L;
    }

    /**
     * Makes {@code context} an attempt of this call: its attempt number, and its key or the stand-in
     * that draws the key from this call when asked. The caller saves {@code context}'s attempt, key
     * and shared key beforehand and puts them back afterwards.
     */
    final void enterAttempt(RetryContext context) {
        String drawn = key;
        context.attempt = contextAttempt;
        context.key = drawn != null ? drawn : RetryContext.SHARED_KEY_UNDRAWN;
        context.sharedKey = this;
    }

    @Override
    public final synchronized String drawSharedKey() {
        String drawn = key;
        if (drawn == null) {
            drawn = RetryContext.newKey();
            key = drawn;
        }
        return drawn;
    }

    /** Starts the attempt numbered {@code index} (0 for the primary); it must report through {@link #attemptFinished}. */
    abstract void launch(int index);

    /** Stops the attempt numbered {@code index} if it was launched and has not finished; otherwise does nothing. */
    abstract void stop(int index);

    /** Hands the winner's result to the caller. */
    abstract void succeed(@Nullable T value);

    /** Hands the call's failure to the caller. */
    abstract void fail(Throwable failure);

    /** Counts the call, launches the primary and arms the first hedge's timer. */
    final void start() {
        HedgeBudget budget = tuned.budget;
        if (budget != null) {
            budget.recordCall();
        }
        synchronized (this) {
            started = 1;
        }
        // The primary before the timer, so that even with a zero delay the primary is asked first;
        // and a primary that is decided at once (a stage already complete) arms no timer at all.
        launch(0);
        if (maxAttempts > 1 && !decided) {
            scheduleHedge(1);
        }
    }

    final boolean isDecided() {
        return decided;
    }

    /** The hedge timer: starts the next hedge, budget permitting, and arms the one after it. */
    @Override
    public final void run() {
        int index = -1;
        int attempts;
        synchronized (this) {
            if (decided || started >= maxAttempts) {
                return;
            }
            HedgeBudget budget = tuned.budget;
            if (budget == null || budget.tryAcquireHedge()) {
                index = started++;
            }
            attempts = started;
        }
        HedgeListener listener = policy.listener();
        if (index < 0) {
            // Refused: the next timer would be refused as likely, so this call hedges no more.
            if (listener != null) {
                listener.onBudgetExhausted(event(attempts, 0, null));
            }
            return;
        }
        if (index + 1 < maxAttempts) {
            scheduleHedge(index + 1);
        }
        Throwable listenerError = null;
        if (listener != null) {
            try {
                listener.onHedgeStarted(event(attempts, 0, null));
            } catch (Throwable error) {
                listenerError = error; // an Error: it must not keep a hedge counted as started from running
            }
        }
        launch(index);
        rethrow(listenerError);
    }

    /**
     * Lets a listener's {@link Error} go on once the execution has done what the event was about: the
     * listeners' wrapper logs anything else they throw, and a call whose attempt was counted but not
     * launched, or whose result was decided but not delivered, would never end.
     */
    private static void rethrow(@Nullable Throwable listenerError) {
        if (listenerError != null) {
            throw Exceptions.<RuntimeException>sneaky(listenerError);
        }
    }

    /**
     * The end of one attempt. A success decides the call unless it is decided already; a failure
     * decides it only when every attempt started so far has failed, since a failed attempt must not
     * win while another may still succeed. A failure never starts a hedge early: hedges answer
     * slowness, retries answer failures.
     */
    final void attemptFinished(int index, @Nullable T value, @Nullable Throwable failure) {
        EarlierFailures earlier = null;
        boolean recordLatency = false;
        int attempts;
        Scheduler.Cancellable timer;
        synchronized (this) {
            if (decided) {
                return;
            }
            attempts = started;
            if (failure == null) {
                recordLatency = !primaryFailed;
            } else {
                failed++;
                if (index == 0) {
                    primaryFailed = true;
                }
                if (failed < started) {
                    failures = EarlierFailures.remember(failures, failure);
                    return;
                }
                earlier = failures;
            }
            decided = true;
            timer = pendingHedge;
        }
        stopAllBut(index, timer);
        HedgeListener listener = policy.listener();
        if (failure == null) {
            if (recordLatency) {
                // The primary's latency: exact when it won, a lower bound when a hedge beat it.
                if (tuned.latencies != null) {
                    tuned.latencies.record(policy.ticker.nanoTime() - start);
                }
            }
            Throwable listenerError = null;
            if (listener != null && (index > 0 || policy.primaryWinHeard())) {
                HedgeEvent event = event(attempts, index + 1, null);
                try {
                    if (index == 0) {
                        listener.onPrimaryWon(event);
                    } else {
                        listener.onHedgeWon(event);
                    }
                } catch (Throwable error) {
                    listenerError = error;
                }
            }
            succeed(value);
            rethrow(listenerError);
        } else {
            EarlierFailures.attachTo(failure, earlier);
            Throwable listenerError = null;
            if (listener != null) {
                try {
                    listener.onAllFailed(event(attempts, 0, failure));
                } catch (Throwable error) {
                    listenerError = error;
                }
            }
            fail(failure);
            rethrow(listenerError);
        }
    }

    /**
     * The caller gives up: stops every attempt and the timer. Returns false when the call was
     * decided already, in which case its outcome stands.
     */
    final boolean abandon() {
        int attempts;
        Scheduler.Cancellable timer;
        synchronized (this) {
            if (decided) {
                return false;
            }
            decided = true;
            attempts = started;
            timer = pendingHedge;
        }
        stopAllBut(-1, timer);
        HedgeListener listener = policy.listener();
        if (listener != null) {
            listener.onCancelled(event(attempts, 0, null));
        }
        return true;
    }

    /** The failures of the attempts so far, oldest first; {@code null} when none failed. */
    final synchronized @Nullable EarlierFailures failuresSoFar() {
        return failures;
    }

    /**
     * Arms the timer that starts hedge number {@code index}. A timer can fire, and arm the next,
     * before the thread that armed it has stored its handle: so an older handle never replaces a
     * newer one, and a timer armed after the decision is withdrawn at once.
     */
    private void scheduleHedge(int index) {
        Scheduler.Cancellable timer;
        try {
            timer = policy.scheduler.schedule(this, delayNanos);
        } catch (RuntimeException refused) {
            // A scheduler that refuses (shut down) means no more hedges: the call goes on with the
            // attempts it has. Thrown on, it would leave the primary unheard, or on the timer's thread
            // a hedge counted but never launched, and the call waiting for it for ever.
            return;
        }
        boolean late;
        synchronized (this) {
            late = decided;
            if (!late && index > pendingHedgeIndex) {
                pendingHedge = timer;
                pendingHedgeIndex = index;
            }
        }
        if (late) {
            timer.cancel();
        }
    }

    private void stopAllBut(int winner, Scheduler.@Nullable Cancellable timer) {
        if (timer != null) {
            timer.cancel();
        }
        for (int i = 0; i < maxAttempts; i++) {
            if (i != winner) {
                stop(i);
            }
        }
    }

    private HedgeEvent event(int attempts, int winner, @Nullable Throwable failure) {
        return policy.event(attempts, winner, delayNanos, start, failure);
    }
}
