package dev.retry.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Something that happened to one call of a retry policy, as told to a {@link RetryListener}.
 *
 * <p>Events are created only when a listener is registered, so a policy nobody listens to pays
 * nothing for them.
 *
 * @param policy the name of the policy
 * @param attempts the attempts made so far, the first included
 * @param elapsed the time since the call started
 * @param delay for {@link RetryListener#onRetry}, the wait before the next attempt; zero otherwise
 * @param failure the failure of the latest attempt, or {@code null} when it returned a result
 * @param result the result of the latest attempt, or {@code null} when it failed (or returned null)
 * @param reason for {@link RetryListener#onFailure} and {@link RetryListener#onBudgetExhausted}, why
 *     the call stopped; {@code null} otherwise
 */
public record RetryEvent(
        String policy,
        int attempts,
        Duration elapsed,
        Duration delay,
        @Nullable Throwable failure,
        @Nullable Object result,
        @Nullable Reason reason) {

    /** Why a call stopped without a result the policy accepted. */
    public enum Reason {
        /** The failure matched no retry rule (or is an {@link Error}, which is never retried by default). */
        NOT_RETRYABLE,
        /** The failure matched an abort rule, or is an {@link InterruptedException}. */
        ABORTED,
        /** Every allowed attempt was made. */
        ATTEMPTS_EXHAUSTED,
        /** The next retry would have started after the policy's {@code maxDuration}. */
        MAX_DURATION,
        /** The retry budget refused the next retry. */
        BUDGET_EXHAUSTED,
        /** The thread was interrupted before or during the wait for the next retry. */
        INTERRUPTED,
        /** The caller cancelled the future of an asynchronous call. */
        CANCELLED
    }
}
