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
 * A listener that only counts successes overrides {@link #onCallSucceeded} instead: it is told every
 * success in plain values, so that the policy neither builds an event nor reads the clock for it.
 */
public interface RetryListener {

    /** An attempt failed (or its result was not accepted) and the policy will retry after {@code event.delay()}. */
    default void onRetry(RetryEvent event) {}

    /**
     * The call returned a result the policy accepted after {@code attempts} attempts, the first
     * included. Told to every listener before {@link #onSuccess}; its arguments are plain values, so
     * telling it allocates nothing and needs no reading of the clock: a meter that counts successes
     * costs a successful call no more than its own counting.
     */
    default void onCallSucceeded(String policy, int attempts) {}

    /** The call returned a result the policy accepted; only built for a listener that overrides this. */
    default void onSuccess(RetryEvent event) {}

    /** The call ended without a result the policy accepted; {@code event.reason()} tells why. */
    default void onFailure(RetryEvent event) {}

    /** The retry budget refused a retry; {@link #onFailure} follows. */
    default void onBudgetExhausted(RetryEvent event) {}
}
