package dev.retry.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One asynchronous attempt under a {@link TimeoutPolicy}. Three things may end it: the attempt's
 * stage completing, the deadline timer, and the caller completing or cancelling the returned future.
 * No thread waits for anything.
 *
 * <p>The attempt and the timer race through {@link #decided}; the caller's own completion of the
 * returned future ends the race from outside. The timer, when it wins, cancels the attempt
 * <em>before</em> it fails the returned future: whoever the failure reaches (a bulkhead returning
 * its permit, a retry starting the next attempt) must find the timed-out work already told to stop,
 * not still running beside the next one. Deciding by the returned future alone would get that order
 * backwards, since cancelling the attempt first would complete it, and the call, as cancelled.
 *
 * <p>The deadline may also pass while the attempt is still being started, before its stage exists.
 * The timer then has nothing to cancel and leaves the call to the starting thread, which sees the
 * decision once the stage is in hand, cancels it and only then fails the call. The timer writes
 * {@link #decided} before it reads {@link #attempt}, the starting thread writes {@link #attempt}
 * before it reads {@link #decided}, all volatile, so at least one of them sees the other.
 */
final class AsyncTimeoutExecution<T> implements Runnable, BiConsumer<T, Throwable> {

    private static final VarHandle DECIDED;

    static {
        try {
            DECIDED = MethodHandles.lookup().findVarHandle(AsyncTimeoutExecution.class, "decided", boolean.class);
        } catch (ReflectiveOperationException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    private final TimeoutPolicy policy;
    /** The policy's configuration when the attempt started, which it keeps to the end. */
    private final TimeoutConfig config;

    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final long start;
    /** Set once, by the timer or by the attempt's end, whichever comes first. */
    @SuppressWarnings("unused") // read and written through DECIDED
    private volatile boolean decided;

    /**
     * What the result's completion must stop. Both are written before the result is read again, and
     * the result's completion reads them after completing it, so at least one side sees the other.
     */
    private volatile Scheduler.@Nullable Cancellable timer;

    private volatile @Nullable CompletionStage<T> attempt;

    AsyncTimeoutExecution(TimeoutPolicy policy) {
        this.policy = policy;
        this.config = policy.config();
        this.start = policy.ticker.nanoTime();
    }

    CompletableFuture<T> result() {
        return result;
    }

    @SuppressWarnings(
            "FutureReturnValueIgnored") // the stage that whenComplete returns only runs the clean-up; nobody waits on
    // it
    void start(AsyncStage next, Supplier<? extends CompletionStage<T>> supplier) {
        try {
            timer = policy.scheduler.schedule(this, config.durationNanos);
        } catch (RuntimeException noTimer) {
            result.completeExceptionally(noTimer); // a shut-down scheduler: no attempt without its deadline
            return;
        }
        result.whenComplete((ignoredValue, ignoredFailure) -> stop());
        if (decided()) {
            expire(); // the deadline passed before the attempt could even be started
            return;
        }
        CompletionStage<T> stage;
        try {
            stage = next.invoke(supplier);
        } catch (Throwable thrown) {
            stage = CompletableFuture.failedFuture(thrown);
        }
        if (stage == null) {
            stage = CompletableFuture.failedFuture(new NullPointerException(
                    "the call of timeout '" + policy.config().name() + "' returned a null CompletionStage"));
        }
        attempt = stage;
        if (decided()) {
            // The deadline passed while the attempt was being started. Failing the call cancels the
            // attempt first (stop(), the one dependent the result has: nobody else holds it yet).
            expire();
            return;
        }
        if (result.isDone()) {
            cancel(stage); // the caller gave up while the attempt was being started
            return;
        }
        stage.whenComplete(this);
    }

    /** The deadline. */
    @Override
    public void run() {
        if (!decide()) {
            return;
        }
        CompletionStage<T> running = attempt;
        if (running != null) {
            cancel(running); // first: see the class comment (its completion is ignored, the race being decided)
            expire();
        }
        // else the attempt is being started: the starting thread cancels it and fails the call
    }

    private void expire() {
        long elapsed = policy.ticker.nanoTime() - start;
        if (result.completeExceptionally(policy.timedOut(null, config))) {
            policy.tell(TimeoutListener.Outcome.TIMEOUT, elapsed);
        }
    }

    /** The attempt's stage completed. */
    @Override
    public void accept(T value, Throwable thrown) {
        if (!decide()) {
            return; // the deadline came first, and this is the cancellation it caused
        }
        long elapsed = policy.ticker.nanoTime() - start;
        Throwable failure = thrown == null ? null : Exceptions.unwrap(thrown);
        if (elapsed >= config.durationNanos) {
            // Overran, and the timer was late (a busy scheduler): an overrun is an overrun.
            if (result.completeExceptionally(policy.timedOut(failure, config))) {
                policy.tell(TimeoutListener.Outcome.TIMEOUT, elapsed);
            }
            return;
        }
        boolean decidedHere = failure == null ? result.complete(value) : result.completeExceptionally(failure);
        if (decidedHere) {
            policy.tell(failure == null ? TimeoutListener.Outcome.SUCCESS : TimeoutListener.Outcome.FAILURE, elapsed);
        }
    }

    private boolean decide() {
        return DECIDED.compareAndSet(this, false, true);
    }

    private boolean decided() {
        return (boolean) DECIDED.getVolatile(this);
    }

    /** Whoever decided: the timer and the attempt are no longer wanted (both are harmless to stop twice). */
    private void stop() {
        Scheduler.Cancellable deadline = timer;
        if (deadline != null) {
            deadline.cancel();
        }
        CompletionStage<T> running = attempt;
        if (running != null) {
            cancel(running);
        }
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException notCancellable) {
            // Some stages (minimal stages, foreign implementations) cannot be cancelled: let it run out.
        }
    }
}
