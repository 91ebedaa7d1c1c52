package dev.retry.core;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * One synchronous call of a {@link HedgePolicy}: every attempt, the primary included, runs on the
 * policy's executor while the caller waits for the first success (or for every attempt to fail).
 *
 * <p>The primary cannot run on the caller's thread: a caller busy running it could not return the
 * moment a hedge wins. So the caller only waits, and an attempt that loses is stopped by
 * interrupting the thread it runs on, never afterwards (see {@link Attempt}).
 *
 * <p>The caller waits by parking, and whoever decides the call unparks it: no latch to allocate,
 * and no wake-up at all when the outcome is there before the caller has parked.
 */
final class SyncHedgeExecution<A, T, X extends Throwable> extends HedgeExecution<T> {

    private final Stage next;
    private final CheckedFunction<? super A, ? extends T, ? extends X> function;
    private final A argument;
    private final AtomicReferenceArray<Attempt> attempts;
    /** The caller, once it has parked or is about to: the one thread the decider wakes. */
    private volatile @Nullable Thread waiter;

    /** Set once the outcome is written, and read before it. */
    private volatile boolean done;

    /** The outcome, written once before {@link #done} is set and read after. */
    private @Nullable T value;

    private @Nullable Throwable failure;

    SyncHedgeExecution(
            HedgePolicy policy,
            HedgePolicy.Tuning tuned,
            Stage next,
            CheckedFunction<? super A, ? extends T, ? extends X> function,
            A argument,
            int contextAttempt,
            @Nullable String key) {
        super(policy, tuned, contextAttempt, key);
        this.next = next;
        this.function = function;
        this.argument = argument;
        this.attempts = new AtomicReferenceArray<>(maxAttempts);
    }

    /**
     * Runs the call and waits for its outcome.
     *
     * @throws X the last failure, with the others suppressed, when every attempt fails
     * @throws CancellationException when the caller's thread is interrupted before or while it waits;
     *     every attempt is then cancelled and the interrupt flag stays set
     */
    @SuppressWarnings("NullAway") // a null T is the caller's own result: see Nullness
    T call() throws X {
        if (Thread.currentThread().isInterrupted()) {
            throw interrupted(null);
        }
        start();
        if (!awaitOutcome()) {
            if (abandon()) {
                throw interrupted(new InterruptedException("interrupted while waiting for the attempts"));
            }
            // Decided just as the interrupt came: the outcome stands, and is a moment away.
            awaitUninterruptibly();
        }
        if (failure != null) {
            throw Exceptions.<X>sneaky(failure);
        }
        return value;
    }

    @Override
    void launch(int index) {
        Attempt attempt = new Attempt(index);
        attempts.set(index, attempt);
        if (isDecided()) {
            attempt.cancel();
            return;
        }
        try {
            policy.executor.execute(attempt);
        } catch (RuntimeException rejected) {
            // A full or shut-down executor: the attempt failed to start, which is its failure.
            attemptFinished(index, null, rejected);
        }
    }

    @Override
    void stop(int index) {
        Attempt attempt = attempts.get(index);
        if (attempt != null) {
            attempt.cancel();
        }
    }

    @Override
    void succeed(@Nullable T result) {
        this.value = result;
        wakeCaller();
    }

    @Override
    void fail(Throwable thrown) {
        this.failure = thrown;
        wakeCaller();
    }

    private void wakeCaller() {
        done = true;
        // Read after done is written, as the caller reads done after writing waiter: one of the two sees the other.
        Thread parked = waiter;
        if (parked != null) {
            LockSupport.unpark(parked);
        }
    }

    /**
     * Parks until the call is decided. Returns false, with the interrupt flag set, when the caller
     * was interrupted first.
     */
    private boolean awaitOutcome() {
        if (done) {
            return true;
        }
        waiter = Thread.currentThread();
        while (!done) {
            if (Thread.currentThread().isInterrupted()) {
                return done;
            }
            LockSupport.park(this);
        }
        return true;
    }

    private void awaitUninterruptibly() {
        // park returns at once while the flag is set, so it is cleared for the wait and set again after.
        boolean interrupted = Thread.interrupted();
        while (!done) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private CancellationException interrupted(@Nullable InterruptedException interrupt) {
        CancellationException cancelled = new CancellationException("the call of hedge policy '"
                + policy.config().name() + "' was interrupted while it waited for its attempts, which were cancelled");
        cancelled.initCause(interrupt);
        EarlierFailures.attachTo(cancelled, failuresSoFar());
        return cancelled;
    }

    /**
     * One attempt on the executor. It can be cancelled before it starts (then it never calls), or
     * while it runs (then its thread is interrupted). The interrupt never outlives the attempt: an
     * attempt that finds it was cancelled while it ran waits for the canceller's interrupt to land,
     * then clears it, so that the executor's thread goes on to its next task uninterrupted.
     */
    private final class Attempt implements Runnable {

        private static final int NEW = 0;
        private static final int RUNNING = 1;
        private static final int FINISHED = 2;
        private static final int INTERRUPTING = 3;
        private static final int CANCELLED = 4;

        private final int index;
        private final AtomicInteger state = new AtomicInteger(NEW);
        private volatile @Nullable Thread runner;

        Attempt(int index) {
            this.index = index;
        }

        @Override
        public void run() {
            runner = Thread.currentThread();
            if (!state.compareAndSet(NEW, RUNNING)) {
                return; // cancelled before it started
            }
            T result = null;
            Throwable thrown = null;
            RetryContext context = RetryContext.forCurrentThread();
            int outerAttempt = context.attempt;
            String outerKey = context.key;
            RetryContext.SharedKey outerSharedKey = context.sharedKey;
            enterAttempt(context);
            try {
                result = next.invoke(function, argument);
            } catch (Throwable any) {
                thrown = any;
            } finally {
                context.attempt = outerAttempt;
                context.key = outerKey;
                context.sharedKey = outerSharedKey;
            }
            if (state.compareAndSet(RUNNING, FINISHED)) {
                attemptFinished(index, result, thrown);
                return;
            }
            while (state.get() == INTERRUPTING) {
                Thread.onSpinWait(); // the canceller is between its compare-and-set and interrupt()
            }
            Thread.interrupted();
        }

        void cancel() {
            while (true) {
                int current = state.get();
                if (current == NEW) {
                    if (state.compareAndSet(NEW, CANCELLED)) {
                        return;
                    }
                } else if (current == RUNNING) {
                    if (state.compareAndSet(RUNNING, INTERRUPTING)) {
                        Thread thread = runner; // set before the state became RUNNING
                        if (thread != null) {
                            thread.interrupt();
                        }
                        state.set(CANCELLED);
                        return;
                    }
                } else {
                    return; // finished, or cancelled already
                }
            }
        }
    }
}
