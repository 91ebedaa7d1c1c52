package dev.retry.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One asynchronous call of a {@link RetryPolicy}: starts an attempt, and when its stage completes,
 * either completes the caller's future or schedules the next attempt on the policy's scheduler.
 *
 * <p>Attempts never overlap: each starts only after the previous one's stage has completed and
 * its delay has passed, and each hand-over (stage completion, scheduler) orders memory, so the plain
 * fields below are only ever touched by one thread at a time.
 */
final class AsyncRetryExecution<T> implements BiConsumer<T, Throwable>, Runnable {

    private final RetryPolicy policy;
    private final AsyncStage next;
    private final Supplier<? extends CompletionStage<T>> supplier;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final long start;
    /** The policy's configuration when the call started, which every attempt of it keeps. */
    private final RetryPolicy.Tuning tuned;

    private int attempt;
    private @Nullable String key;
    private long previousDelay;
    private @Nullable EarlierFailures earlierFailures;

    /** What a cancellation of {@link #result} has to stop: the attempt in flight or the retry waiting. */
    private volatile @Nullable CompletionStage<T> inFlight;

    private volatile Scheduler.@Nullable Cancellable pendingRetry;

    AsyncRetryExecution(RetryPolicy policy, AsyncStage next, Supplier<? extends CompletionStage<T>> supplier) {
        this.policy = policy;
        this.next = next;
        this.supplier = supplier;
        this.tuned = policy.tuning();
        this.start = tuned.timed ? policy.ticker.nanoTime() : 0L;
    }

    CompletableFuture<T> result() {
        return result;
    }

    @SuppressWarnings(
            "FutureReturnValueIgnored") // the stage that whenComplete returns only runs the clean-up; nobody waits on
    // it
    void start() {
        RetryBudget budget = tuned.budget;
        if (budget != null) {
            budget.recordCall();
        }
        result.whenComplete((ignoredValue, ignoredFailure) -> {
            if (result.isCancelled()) {
                stopAfterCancellation();
            }
        });
        run();
    }

    /** Starts the next attempt; runs on the caller's thread first, then on the scheduler's. */
    @Override
    public void run() {
        if (result.isDone()) {
            return;
        }
        attempt++;
        RetryContext context = RetryContext.forCurrentThread();
        int outerAttempt = context.attempt;
        String outerKey = context.key;
        context.attempt = attempt;
        context.key = key;
        CompletionStage<T> stage;
        try {
            stage = next.invoke(supplier);
        } catch (Throwable thrown) {
            key = context.key;
            context.attempt = outerAttempt;
            context.key = outerKey;
            accept(null, thrown);
            return;
        }
        key = context.key;
        context.attempt = outerAttempt;
        context.key = outerKey;
        if (stage == null) {
            accept(
                    null,
                    new NullPointerException(
                            "the call of retry policy '" + tuned.config.name() + "' returned a null CompletionStage"));
            return;
        }
        inFlight = stage;
        if (result.isDone()) {
            cancel(stage); // cancelled while the attempt was being started
            return;
        }
        stage.whenComplete(this);
    }

    /** The end of one attempt. */
    @Override
    public void accept(@Nullable T value, @Nullable Throwable thrown) {
        inFlight = null;
        Throwable failure = thrown == null ? null : Exceptions.unwrap(thrown);
        try {
            decide(value, failure);
        } catch (Throwable broken) {
            // A user's predicate, extractor, random source or scheduler threw. Nothing would complete
            // the caller's future after this callback, so it ends here, with the attempt's own failure kept.
            result.completeExceptionally(RetryPolicy.brokenRule(broken, failure, earlierFailures));
        }
    }

    /** Completes the call or schedules the next attempt, after an attempt that ended with {@code value} or {@code failure}. */
    private void decide(@Nullable T value, @Nullable Throwable failure) {
        RetryConfig config = tuned.config;
        RetryListener listener = policy.listener();
        if (failure == null && (config.retryIfResult == null || !config.retryIfResult.test(value))) {
            AdaptiveRetry adaptive = tuned.adaptive;
            if (adaptive != null) {
                adaptive.recordSuccess(attempt);
            }
            if (result.complete(value) && listener != null) {
                listener.onCallSucceeded(config.name(), attempt);
                RetryListener successListener = policy.successListener();
                if (successListener != null) {
                    successListener.onSuccess(policy.event(attempt, start, 0L, null, value, null));
                }
            }
            return;
        }
        long delay = policy.nextDelay(tuned, attempt, failure, previousDelay, start, false);
        if (delay < 0) {
            finish(value, failure, RetryPolicy.reasonOf(delay));
            return;
        }
        if (failure != null) {
            earlierFailures = EarlierFailures.remember(earlierFailures, failure);
        }
        if (listener != null) {
            listener.onRetry(policy.event(attempt, start, delay, failure, value, null));
        }
        previousDelay = delay;
        pendingRetry = policy.scheduler.schedule(this, delay);
        if (result.isDone()) {
            pendingRetry.cancel(); // cancelled while the retry was being scheduled
        }
    }

    private void finish(@Nullable T value, @Nullable Throwable failure, RetryEvent.Reason reason) {
        boolean completedHere;
        if (failure == null) {
            completedHere = result.complete(value);
        } else {
            EarlierFailures.attachTo(failure, earlierFailures);
            completedHere = result.completeExceptionally(failure);
        }
        RetryListener listener = policy.listener();
        if (completedHere && listener != null) {
            RetryEvent event = policy.event(attempt, start, 0L, failure, value, reason);
            if (reason == RetryEvent.Reason.BUDGET_EXHAUSTED) {
                listener.onBudgetExhausted(event);
            }
            listener.onFailure(event);
        }
    }

    private void stopAfterCancellation() {
        Scheduler.Cancellable retry = pendingRetry;
        if (retry != null) {
            retry.cancel();
        }
        CompletionStage<T> stage = inFlight;
        if (stage != null) {
            cancel(stage);
        }
        RetryListener listener = policy.listener();
        if (listener != null) {
            listener.onFailure(policy.event(attempt, start, 0L, null, null, RetryEvent.Reason.CANCELLED));
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
