package dev.retry.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An asynchronous call of a {@link BulkheadPolicy} that found no permit free: it waits in line
 * without blocking any thread, and is started on the scheduler's thread when a permit is granted.
 *
 * <p>The start is handed to the scheduler, not run by the thread that released the permit: that
 * thread is ending a call of its own (maybe a synchronous caller about to return), and a line of
 * asynchronous calls whose stages complete at once would otherwise start one another recursively, a
 * stack frame each.
 *
 * <p>The call may run on another thread than the one that made it, so it carries the caller's {@link
 * RetryContext} along: the enclosing retry's attempt number and idempotency key, the key drawn now
 * if nobody has asked for it yet, so that the attempt and the retry agree on it.
 */
final class AsyncBulkheadExecution<T> extends BulkheadPermits.Waiter {

    private final BulkheadPolicy policy;
    private final AsyncStage next;
    private final Supplier<? extends CompletionStage<T>> supplier;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private final int contextAttempt;
    private final @Nullable String key;
    private final long maxWaitNanos;
    private volatile Scheduler.@Nullable Cancellable expiry;

    AsyncBulkheadExecution(
            BulkheadPolicy policy,
            AsyncStage next,
            Supplier<? extends CompletionStage<T>> supplier,
            long maxWaitNanos) {
        super(policy.permits);
        this.maxWaitNanos = maxWaitNanos;
        this.policy = policy;
        this.next = next;
        this.supplier = supplier;
        RetryContext context = RetryContext.forCurrentThread();
        if (context.attempt != 0) {
            context.idempotencyKey(); // drawn now, so that the thread the call goes on to sees the same
        }
        this.contextAttempt = context.attempt;
        this.key = context.key;
    }

    @SuppressWarnings(
            "FutureReturnValueIgnored") // the stage leaving the line completes with the result; nobody waits on it
    CompletableFuture<T> begin() {
        if (permits.join(this)) {
            policy.permitted();
            return policy.startHolding(next, supplier, result); // granted at once: on the caller's thread
        }
        try {
            expiry = policy.scheduler.schedule(this, maxWaitNanos);
        } catch (RuntimeException noTimer) {
            leaveLine();
            result.completeExceptionally(noTimer);
            return result;
        }
        // The caller cancels the future while the call waits: it leaves the line.
        result.whenComplete((ignoredValue, ignoredFailure) -> leaveLine());
        return result;
    }

    @Override
    void granted() {
        try {
            policy.scheduler.schedule(this::startGranted, 0L);
        } catch (RuntimeException noScheduler) {
            // Runs on the releasing thread, which must not be troubled: the call fails, the permit goes on.
            permits.release();
            result.completeExceptionally(noScheduler);
        }
    }

    @Override
    void expired() {
        result.completeExceptionally(policy.rejected(null));
    }

    @SuppressWarnings("FutureReturnValueIgnored") // startHolding completes and returns result, which the caller holds
    private void startGranted() {
        Scheduler.Cancellable timer = expiry;
        if (timer != null) {
            timer.cancel();
        }
        if (result.isDone()) {
            permits.release(); // cancelled after its permit was granted, before it could start
            return;
        }
        try {
            policy.permitted();
        } catch (Throwable listenerError) {
            result.completeExceptionally(listenerError); // on the scheduler's thread: nobody else would see it
            return;
        }
        RetryContext context = RetryContext.forCurrentThread();
        int outerAttempt = context.attempt;
        String outerKey = context.key;
        context.attempt = contextAttempt;
        context.key = key;
        try {
            policy.startHolding(next, supplier, result);
        } finally {
            context.attempt = outerAttempt;
            context.key = outerKey;
        }
    }

    /** Leaves the line if still in it; a permit granted meanwhile is used by {@link #startGranted} or passed on. */
    private void leaveLine() {
        if (permits.leave(this, ABANDONED)) {
            Scheduler.Cancellable timer = expiry;
            if (timer != null) {
                timer.cancel();
            }
        }
    }
}
