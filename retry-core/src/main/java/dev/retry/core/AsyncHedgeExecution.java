package dev.retry.core;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One asynchronous call of a {@link HedgePolicy}: the primary's stage is asked for on the caller's
 * thread, each hedge's on the scheduler's when its delay has passed, and the first stage to
 * succeed completes this future, which is the one the caller gets. No thread waits for anything.
 *
 * <p>A healthy call allocates this object and nothing else of ours: the primary's stage is kept in
 * a field (the hedges' in an array made when the first hedge starts), a primary already complete
 * is read at once, and one still running reports to this object itself, not to a lambda.
 * Cancelling this future, or completing it by hand, stops every attempt and the timer.
 */
final class AsyncHedgeExecution<T> extends HedgeExecution<T> implements BiConsumer<T, Throwable> {

    private final AsyncStage next;
    private final Supplier<? extends CompletionStage<T>> supplier;
    private volatile @Nullable CompletionStage<T> primary;
    /** The hedges' stages by attempt index; {@code null} until the first hedge starts. */
    private volatile @Nullable AtomicReferenceArray<CompletionStage<T>> hedges;

    AsyncHedgeExecution(
            HedgePolicy policy,
            HedgePolicy.Tuning tuned,
            AsyncStage next,
            Supplier<? extends CompletionStage<T>> supplier,
            int contextAttempt,
            @Nullable String key) {
        super(policy, tuned, contextAttempt, key);
        this.next = next;
        this.supplier = supplier;
    }

    void begin() {
        start();
    }

    @Override
    void launch(int index) {
        RetryContext context = RetryContext.forCurrentThread();
        int outerAttempt = context.attempt;
        String outerKey = context.key;
        RetryContext.SharedKey outerSharedKey = context.sharedKey;
        enterAttempt(context);
        CompletionStage<T> stage;
        try {
            stage = next.invoke(supplier);
        } catch (Throwable thrown) {
            stage = CompletableFuture.failedFuture(thrown);
        } finally {
            context.attempt = outerAttempt;
            context.key = outerKey;
            context.sharedKey = outerSharedKey;
        }
        if (stage == null) {
            stage = CompletableFuture.failedFuture(new NullPointerException(
                    "the call of hedge policy '" + policy.config().name() + "' returned a null CompletionStage"));
        }
        if (index == 0) {
            primary = stage;
        } else {
            hedgeStages().set(index, stage);
        }
        if (isDecided()) {
            cancelStage(stage); // decided while the attempt was being started
            return;
        }
        if (stage instanceof CompletableFuture && stage.toCompletableFuture().isDone()) {
            finishFrom(index, stage.toCompletableFuture()); // nothing to wait for, nor to register
        } else if (index == 0) {
            stage.whenComplete(this);
        } else {
            stage.whenComplete((value, thrown) -> attemptFinished(index, value, unwrapped(thrown)));
        }
    }

    /** The primary's stage has completed. */
    @Override
    public void accept(@Nullable T value, @Nullable Throwable thrown) {
        attemptFinished(0, value, unwrapped(thrown));
    }

    private void finishFrom(int index, CompletableFuture<T> done) {
        T value = null;
        Throwable thrown = null;
        try {
            value = done.join();
        } catch (CompletionException | CancellationException failed) {
            thrown = Exceptions.unwrap(failed);
        }
        attemptFinished(index, value, thrown);
    }

    private static @Nullable Throwable unwrapped(@Nullable Throwable thrown) {
        return thrown == null ? null : Exceptions.unwrap(thrown);
    }

    private synchronized AtomicReferenceArray<CompletionStage<T>> hedgeStages() {
        AtomicReferenceArray<CompletionStage<T>> stages = hedges;
        if (stages == null) {
            stages = new AtomicReferenceArray<>(maxAttempts);
            hedges = stages;
        }
        return stages;
    }

    @Override
    void stop(int index) {
        CompletionStage<T> stage;
        if (index == 0) {
            stage = primary;
        } else {
            AtomicReferenceArray<CompletionStage<T>> stages = hedges;
            stage = stages == null ? null : stages.get(index);
        }
        if (stage != null) {
            cancelStage(stage);
        }
    }

    @Override
    void succeed(@Nullable T value) {
        super.complete(value);
    }

    @Override
    void fail(Throwable failure) {
        super.completeExceptionally(failure);
    }

    // The caller's hand on this future: whatever completes it first, the attempts and the timer stop.

    @Override
    public boolean complete(@Nullable T value) {
        return abandonedIf(super.complete(value));
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        return abandonedIf(super.completeExceptionally(failure));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return abandonedIf(super.cancel(mayInterruptIfRunning));
    }

    private boolean abandonedIf(boolean endedByTheCaller) {
        if (endedByTheCaller) {
            abandon();
        }
        return endedByTheCaller;
    }

    /** What the caller's further stages are: plain futures, not executions. */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    private static void cancelStage(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException notCancellable) {
            // Some stages (minimal stages, foreign implementations) cannot be cancelled: let it run out.
        }
    }
}
