package dev.retry.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One asynchronous call of a {@link HedgePolicy}: the primary's stage is asked for on the caller's
 * thread, each hedge's on the scheduler's when its delay has passed, and the first stage to
 * succeed completes the caller's future. No thread waits for anything.
 */
final class AsyncHedgeExecution<T> extends HedgeExecution<T> {

    private final AsyncStage next;
    private final Supplier<? extends CompletionStage<T>> supplier;
    private final AtomicReferenceArray<CompletionStage<T>> stages;
    private final CompletableFuture<T> result = new CompletableFuture<>();

    AsyncHedgeExecution(
            HedgePolicy policy,
            HedgePolicy.Tuning tuned,
            AsyncStage next,
            Supplier<? extends CompletionStage<T>> supplier,
            int contextAttempt,
            String key) {
        super(policy, tuned, contextAttempt, key);
        this.next = next;
        this.supplier = supplier;
        this.stages = new AtomicReferenceArray<>(maxAttempts);
    }

    /**
     * The caller's future. Cancelling it (or completing it by hand) cancels every attempt and the
     * timer; the call's own completion passes through {@link #abandon()} as a no-op.
     */
    CompletableFuture<T> result() {
        return result;
    }

    @SuppressWarnings(
            "FutureReturnValueIgnored") // the stage that whenComplete returns only runs the clean-up; nobody waits on
    // it
    void begin() {
        result.whenComplete((ignoredValue, ignoredFailure) -> abandon());
        start();
    }

    @Override
    void launch(int index) {
        RetryContext context = RetryContext.forCurrentThread();
        int outerAttempt = context.attempt;
        String outerKey = context.key;
        context.attempt = contextAttempt;
        context.key = key;
        CompletionStage<T> stage;
        try {
            stage = next.invoke(supplier);
        } catch (Throwable thrown) {
            stage = CompletableFuture.failedFuture(thrown);
        } finally {
            context.attempt = outerAttempt;
            context.key = outerKey;
        }
        if (stage == null) {
            stage = CompletableFuture.failedFuture(new NullPointerException(
                    "the call of hedge policy '" + policy.config().name() + "' returned a null CompletionStage"));
        }
        stages.set(index, stage);
        if (isDecided()) {
            cancelStage(stage); // decided while the attempt was being started
            return;
        }
        stage.whenComplete(
                (value, thrown) -> attemptFinished(index, value, thrown == null ? null : Exceptions.unwrap(thrown)));
    }

    @Override
    void stop(int index) {
        CompletionStage<T> stage = stages.get(index);
        if (stage != null) {
            cancelStage(stage);
        }
    }

    @Override
    void succeed(@Nullable T value) {
        result.complete(value);
    }

    @Override
    void fail(Throwable failure) {
        result.completeExceptionally(failure);
    }

    private static void cancelStage(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(true);
        } catch (UnsupportedOperationException notCancellable) {
            // Some stages (minimal stages, foreign implementations) cannot be cancelled: let it run out.
        }
    }
}
