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
 * <p>The timer is armed only once the attempt's stage is in hand (see {@link #start}), so it always
 * finds a stage to cancel; a start that outlasts the whole limit is seen by the clock instead.
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

    /** Written before the timer is armed, so the timer always finds it. */
    private volatile @Nullable CompletionStage<T> attempt;

    private AsyncTimeoutExecution(TimeoutPolicy policy, TimeoutConfig config, long start) {
        this.policy = policy;
        this.config = config;
        this.start = start;
    }

    /**
     * Starts the attempt, and arms its deadline only when its stage is still pending. The timer is
     * armed once the stage is in hand, for what is left of the limit: until then nobody holds the
     * returned future, and an asynchronous attempt interrupts nobody, so a timer firing while the
     * attempt is being started could do nothing but leave the call to the starting thread, which
     * sees the overrun by the clock instead. A stage already complete in time is decided on the spot
     * and no timer is armed at all: a plain {@code CompletableFuture} that succeeded is itself the
     * answer, as a pipeline with no policy returns the user's own future (nothing is left to stop, so
     * the caller's completing or cancelling it is as harmless as with any completed future), and the
     * call allocates nothing of its own.
     */
    static <T> CompletableFuture<T> start(
            TimeoutPolicy policy, AsyncStage next, Supplier<? extends CompletionStage<T>> supplier) {
        TimeoutConfig config = policy.config();
        long start = policy.ticker.nanoTime();
        CompletionStage<T> stage = startAttempt(config, next, supplier);
        long elapsed = policy.ticker.nanoTime() - start;
        if (elapsed < config.durationNanos && stage.getClass() == CompletableFuture.class) {
            CompletableFuture<T> future = (CompletableFuture<T>) stage;
            if (future.isDone() && !future.isCompletedExceptionally()) {
                policy.tell(TimeoutListener.Outcome.SUCCESS, elapsed);
                return future;
            }
        }
        AsyncTimeoutExecution<T> execution = new AsyncTimeoutExecution<>(policy, config, start);
        execution.watch(stage, elapsed);
        return execution.result;
    }

    private static <T> CompletionStage<T> startAttempt(
            TimeoutConfig config, AsyncStage next, Supplier<? extends CompletionStage<T>> supplier) {
        CompletionStage<T> stage;
        try {
            stage = next.invoke(supplier);
        } catch (Throwable thrown) {
            stage = CompletableFuture.failedFuture(thrown);
        }
        if (stage == null) {
            stage = CompletableFuture.failedFuture(new NullPointerException(
                    "the call of timeout '" + config.name() + "' returned a null CompletionStage"));
        }
        return stage;
    }

    @SuppressWarnings(
            "FutureReturnValueIgnored") // the stage that whenComplete returns only runs the clean-up; nobody waits on
    // it
    private void watch(CompletionStage<T> stage, long elapsed) {
        attempt = stage;
        if (elapsed >= config.durationNanos) {
            decide(); // the attempt's own start outlasted the limit
            cancel(stage);
            expire();
            return;
        }
        if (stage.getClass() != CompletableFuture.class
                || !stage.toCompletableFuture().isDone()) {
            try {
                timer = policy.scheduler.schedule(this, config.durationNanos - elapsed);
            } catch (RuntimeException noTimer) {
                decide(); // a shut-down scheduler: no attempt may run on without its deadline
                cancel(stage);
                result.completeExceptionally(noTimer);
                return;
            }
            result.whenComplete((ignoredValue, ignoredFailure) -> stop());
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
        if (running != null) { // always, the timer being armed after it is written
            cancel(running); // first: see the class comment (its completion is ignored, the race being decided)
        }
        expire();
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
