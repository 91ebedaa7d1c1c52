package dev.retry.core;

/**
 * Hears what happens to the calls of a retry policy, to count, log or trace them.
 *
 * <p>Each call ends with exactly one {@link #onSuccess} or {@link #onFailure}; before that come one
 * {@link #onRetry} per retry and, when the budget refuses one, a single {@link #onBudgetExhausted}.
 * Methods run on the thread that made the attempt and should be quick. An exception thrown by a
 * listener is logged and otherwise ignored: it never changes the outcome of the call.
 *
 * <p>A policy builds no event for a success unless one of its listeners overrides {@link
 * #onSuccess}, so a listener that hears retries and failures alone costs a successful call nothing.
 */
public interface RetryListener {

    /** An attempt failed (or its result was not accepted) and the policy will retry after {@code event.delay()}. */
    default void onRetry(RetryEvent event) {}

    /** The call returned a result the policy accepted. */
    default void onSuccess(RetryEvent event) {}

    /** The call ended without a result the policy accepted; {@code event.reason()} tells why. */
    default void onFailure(RetryEvent event) {}

    /** The retry budget refused a retry; {@link #onFailure} follows. */
    default void onBudgetExhausted(RetryEvent event) {}
}
