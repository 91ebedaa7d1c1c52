package dev.retry.core;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Limits how many calls run at once, so that one slow dependency cannot take every thread (or
 * connection, or byte of memory) the process has.
 *
 * <pre>{@code
 * BulkheadPolicy bulkhead = BulkheadPolicy.builder().name("inventory").maxConcurrentCalls(10).build();
 * Stock stock = bulkhead.call(() -> inventory.stockOf(sku));       // BulkheadFullException when 10 are running
 * CompletableFuture<Stock> later = bulkhead.callAsync(() -> inventory.stockOfAsync(sku));
 * }</pre>
 *
 * <h2>How it works</h2>
 *
 * <p>A call takes a permit before it starts and returns it when it ends: a synchronous call when it
 * returns or throws, an asynchronous one when its stage completes, however it completes, cancelled
 * included (a cancelled stage's work may still be running, but the bulkhead can no longer see it).
 * A call that finds no permit free waits for one, up to {@code maxWait}, in a first-come
 * first-served line, and is refused with a {@link BulkheadFullException} when the wait runs out;
 * with the default {@code maxWait} of zero it is refused at once. A waiting synchronous call blocks
 * its thread; a waiting asynchronous call blocks nobody, and is started by the scheduler when its
 * permit comes.
 *
 * <h2>Why it is built this way</h2>
 *
 * <p>When a permit is free and nobody waits, taking it is one compare-and-set on a counter and
 * returning it one atomic increment and one volatile read: no lock, no allocation, which is all a
 * bulkhead costs while it is not full. Only a call that must wait allocates its place in the line
 * and takes the line's lock, briefly, never while it sleeps ({@link BulkheadPermits}).
 *
 * <p>A {@link java.util.concurrent.Semaphore} would do for synchronous calls alone. It is not used
 * because an asynchronous call must wait without blocking a thread, which a semaphore cannot offer;
 * with one line for both kinds, synchronous and asynchronous calls are served in the order they
 * arrived, and a freed permit goes to the first of them rather than to whichever thread is quickest.
 * An arrival never takes a free permit while anybody waits. The wait's limit is a timer on the
 * injected {@link Scheduler}, like every other wait in the engine, so waits can be tested in
 * virtual time.
 *
 * <h2>Interrupts</h2>
 *
 * <p>An interrupt while a synchronous call waits for a permit stops the wait: the call is refused
 * with a {@link BulkheadFullException} whose cause is the {@link InterruptedException}, and the
 * thread's interrupt flag stays set. The exception is the same as for a wait that ran out, because
 * to the caller it means the same (no permit, the call was not made) and because an {@code
 * InterruptedException} cannot pass through a call that does not declare it. A thread that is
 * already interrupted is refused at once rather than starting a wait. A call that finds a permit
 * free does not wait, and so does not look at its interrupt flag: the call it makes will. If a
 * permit is granted just as the interrupt comes, the grant wins and the call is made, its thread
 * still interrupted.
 *
 * <h2>In a pipeline</h2>
 *
 * <p>The bulkhead sits inside the retry: each attempt takes its own permit and gives it back before
 * the retry waits out its backoff, so a call never holds a permit while it sleeps. It sits outside
 * the circuit breaker, so the breaker never sees its refusals, which the retry never retries and
 * the fallback may answer.
 *
 * <p>A bulkhead is safe to share between any number of threads; sharing one is the point of it.
 */
public final class BulkheadPolicy extends Policy {

    /** Read once per call; swapped whole by {@link #reconfigure(BulkheadConfig)}. */
    private volatile BulkheadConfig config;

    final Scheduler scheduler;
    private final @Nullable BulkheadListener listener;
    final BulkheadPermits permits;

    BulkheadPolicy(BulkheadConfig config, Scheduler scheduler, List<BulkheadListener> listeners) {
        this.config = config;
        this.scheduler = scheduler;
        this.listener = listeners.isEmpty() ? null : new SafeBulkheadListener(listeners);
        this.permits = new BulkheadPermits(config.maxConcurrentCalls());
    }

    /** Starts a builder with the contract's built-in defaults. */
    public static BulkheadPolicyBuilder builder() {
        return new BulkheadPolicyBuilder(BulkheadConfig.defaults());
    }

    /** A builder whose unset options keep {@code base}'s values instead of the built-in defaults. */
    public static BulkheadPolicyBuilder builder(BulkheadConfig base) {
        return new BulkheadPolicyBuilder(base);
    }

    /** A bulkhead with the built-in defaults: 25 concurrent calls, no waiting. */
    public static BulkheadPolicy ofDefaults() {
        return builder().build();
    }

    public BulkheadConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /** Calls holding a permit now: running, or granted and about to start. */
    public int currentConcurrentCalls() {
        return permits.max() - permits.free();
    }

    /**
     * Takes {@code newConfig} in place: calls that start from now on wait up to its {@code maxWait}
     * for one of its {@code maxConcurrentCalls} permits. A permit held under the old limit is
     * returned as usual; a smaller limit than the calls now running lets no new call in until
     * enough of them have finished.
     *
     * @throws IllegalArgumentException when {@code newConfig} names another bulkhead
     */
    public void reconfigure(BulkheadConfig newConfig) {
        Objects.requireNonNull(newConfig, "newConfig must not be null");
        if (!newConfig.name().equals(config.name())) {
            throw new IllegalArgumentException(
                    "bulkhead '" + config.name() + "' cannot take the configuration of '" + newConfig.name() + "'");
        }
        synchronized (permits) {
            config = newConfig;
            permits.resize(newConfig.maxConcurrentCalls());
        }
    }

    /** Permits nobody holds now. */
    public int availablePermits() {
        return permits.free();
    }

    /** Runs the attempt through {@code next}, the rest of a pipeline, holding a permit. */
    @Override
    <A, T, X extends Throwable> T execute(
            Stage next, CheckedFunction<? super A, ? extends T, ? extends X> function, A argument) throws X {
        if (permits.tryAcquire()) {
            permitted();
        } else {
            waitForPermit(config);
        }
        try {
            return next.invoke(function, argument);
        } finally {
            permits.release();
        }
    }

    /** Runs the attempt through {@code next}, the rest of a pipeline, holding a permit until its stage completes. */
    @Override
    <T> CompletableFuture<T> executeAsync(
            AsyncStage next, Supplier<? extends CompletionStage<T>> supplier, @Nullable Object argument) {
        if (permits.tryAcquire()) {
            permitted();
            return startHolding(next, supplier, new CompletableFuture<>());
        }
        BulkheadConfig current = config;
        if (current.maxWaitNanos == 0) {
            return CompletableFuture.failedFuture(rejected(null));
        }
        return new AsyncBulkheadExecution<>(this, next, supplier, current.maxWaitNanos).begin();
    }

    /** Blocks until a permit is granted, or throws when the wait runs out or is interrupted. */
    private void waitForPermit(BulkheadConfig current) {
        if (current.maxWaitNanos == 0) {
            throw rejected(null);
        }
        Thread caller = Thread.currentThread();
        if (caller.isInterrupted()) {
            throw rejected(new InterruptedException("the thread was interrupted before it could wait for a permit"));
        }
        ThreadWaiter waiter = new ThreadWaiter(permits, caller);
        if (permits.join(waiter)) {
            permitted();
            return;
        }
        Scheduler.Cancellable expiry;
        try {
            expiry = scheduler.schedule(waiter, current.maxWaitNanos);
        } catch (RuntimeException noTimer) {
            giveUp(waiter); // without its limit the wait could last forever: do not start it
            throw noTimer;
        }
        InterruptedException interrupted = null;
        while (waiter.state() == BulkheadPermits.Waiter.WAITING) {
            LockSupport.park(this);
            if (Thread.interrupted()) {
                interrupted = new InterruptedException("interrupted while waiting for a permit");
                break;
            }
        }
        expiry.cancel();
        if (interrupted != null) {
            caller.interrupt(); // the flag stays set for the caller, as the contract promises
            giveUp(waiter);
            throw rejected(interrupted);
        }
        if (waiter.state() != BulkheadPermits.Waiter.GRANTED) {
            throw rejected(null); // expired
        }
        permitted();
    }

    /** Takes the waiter out of line; a permit granted to it meanwhile goes on to the next in line. */
    private void giveUp(BulkheadPermits.Waiter waiter) {
        if (!permits.leave(waiter, BulkheadPermits.Waiter.ABANDONED)
                && waiter.state() == BulkheadPermits.Waiter.GRANTED) {
            permits.release();
        }
    }

    /**
     * Starts the attempt, which holds a permit, and returns the permit exactly once: when the
     * attempt's stage completes, or at once if there is no stage. The permit is returned before
     * {@code result} completes, so that whoever the result wakes (a retry, a caller) finds it back.
     */
    @SuppressWarnings(
            "FutureReturnValueIgnored") // the stage that whenComplete returns only runs the clean-up; nobody waits on
    // it
    <T> CompletableFuture<T> startHolding(
            AsyncStage next, Supplier<? extends CompletionStage<T>> supplier, CompletableFuture<T> result) {
        CompletionStage<T> stage;
        try {
            stage = next.invoke(supplier);
        } catch (Throwable thrown) {
            permits.release();
            result.completeExceptionally(thrown);
            return result;
        }
        if (stage == null) {
            permits.release();
            result.completeExceptionally(new NullPointerException(
                    "the call of bulkhead '" + config.name() + "' returned a null CompletionStage"));
            return result;
        }
        stage.whenComplete((value, thrown) -> {
            permits.release();
            if (thrown == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(Exceptions.unwrap(thrown));
            }
        });
        // The caller gave up (cancelled the future): stop the attempt. Its permit comes back when its
        // stage completes, which for a cancellable stage is now.
        result.whenComplete((ignoredValue, ignoredFailure) -> cancel(stage));
        return result;
    }

    /** Tells the listeners that a call got its permit; the caller holds that permit already. */
    void permitted() {
        if (listener != null) {
            try {
                listener.onCallPermitted(config.name());
            } catch (Throwable error) {
                // Only an Error gets here (the listeners' wrapper logs what else they throw). It goes on
                // to the caller, whose call will not run: the permit it holds would never come back.
                permits.release();
                throw error;
            }
        }
    }

    BulkheadFullException rejected(@Nullable InterruptedException interrupted) {
        if (listener != null) {
            listener.onCallRejected(config.name());
        }
        BulkheadConfig current = config;
        return new BulkheadFullException(current.name(), current.maxConcurrentCalls(), current.maxWait(), interrupted);
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException notCancellable) {
            // Some stages (minimal stages, foreign implementations) cannot be cancelled: let it run out.
        }
    }

    @Override
    public String toString() {
        return "BulkheadPolicy[" + config + "]";
    }

    /** A synchronous call in line: its thread parks until it is granted a permit or its wait runs out. */
    private static final class ThreadWaiter extends BulkheadPermits.Waiter {

        private final Thread thread;

        ThreadWaiter(BulkheadPermits permits, Thread thread) {
            super(permits);
            this.thread = thread;
        }

        @Override
        void granted() {
            LockSupport.unpark(thread);
        }

        @Override
        void expired() {
            LockSupport.unpark(thread);
        }
    }
}
