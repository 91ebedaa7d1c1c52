package dev.retry.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One asynchronous attempt under a {@link TimeoutPolicy}. Three things may end it: the attempt's
 * stage completing, the deadline timer, and the caller completing or cancelling the returned future.
 * The returned future is the referee: whichever completes it first decides, and its completion, by
 * whomever, cancels the timer and the attempt's stage. No thread waits for anything.
 */
final class AsyncTimeoutExecution<T> implements Runnable, BiConsumer<T, Throwable> {

    private final TimeoutPolicy policy;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final long start;

    /**
     * What the result's completion must stop. Both are written before the result is read again, and
     * the result's completion reads them after completing it, so at least one side sees the other.
     */
    private volatile Scheduler.Cancellable timer;
    private volatile CompletionStage<T> attempt;

    AsyncTimeoutExecution(TimeoutPolicy policy) {
        this.policy = policy;
        this.start = policy.ticker.nanoTime();
    }

    CompletableFuture<T> result() {
        return result;
    }

    void start(AsyncStage next, Supplier<? extends CompletionStage<T>> supplier) {
        try {
            timer = policy.scheduler.schedule(this, policy.config().durationNanos);
        } catch (RuntimeException noTimer) {
            result.completeExceptionally(noTimer); // a shut-down scheduler: no attempt without its deadline
            return;
        }
        result.whenComplete((ignoredValue, ignoredFailure) -> stop());
        if (result.isDone()) {
            return; // the deadline passed before the attempt could even be started
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
        if (result.isDone()) {
            cancel(stage); // decided while the attempt was being started
            return;
        }
        stage.whenComplete(this);
    }

    /** The deadline. */
    @Override
    public void run() {
        long elapsed = policy.ticker.nanoTime() - start;
        if (result.completeExceptionally(policy.timedOut(null))) {
            policy.tell(TimeoutListener.Outcome.TIMEOUT, elapsed);
        }
    }

    /** The attempt's stage completed. */
    @Override
    public void accept(T value, Throwable thrown) {
        long elapsed = policy.ticker.nanoTime() - start;
        Throwable failure = thrown == null ? null : Exceptions.unwrap(thrown);
        if (elapsed >= policy.config().durationNanos) {
            // Overran, and the timer was late (a busy scheduler): an overrun is an overrun.
            if (result.isDone()) {
                return;
            }
            if (result.completeExceptionally(policy.timedOut(failure))) {
                policy.tell(TimeoutListener.Outcome.TIMEOUT, elapsed);
            }
            return;
        }
        boolean decidedHere = failure == null ? result.complete(value) : result.completeExceptionally(failure);
        if (decidedHere) {
            policy.tell(failure == null ? TimeoutListener.Outcome.SUCCESS : TimeoutListener.Outcome.FAILURE, elapsed);
        }
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
