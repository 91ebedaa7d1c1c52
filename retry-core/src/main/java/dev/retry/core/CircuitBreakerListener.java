package dev.retry.core;

/**
 * Hears what a circuit breaker does, to count and time it.
 *
 * <p>Arguments are plain values, so that telling a listener about a call allocates nothing.
 * Methods run on the calling thread and should be quick; an exception thrown by a listener is logged
 * and otherwise ignored.
 */
public interface CircuitBreakerListener {

    /** How a call was recorded. */
    enum Outcome {
        /** Counted as a success. */
        SUCCESS,
        /** Counted as a failure. */
        FAILURE,
        /** Counted neither way ({@code ignoreOn}, or a trial cut short). */
        IGNORED
    }

    /** The breaker moved; called exactly once per transition, after it took effect. */
    default void onStateTransition(String breaker, CircuitState from, CircuitState to) {}

    /** A permitted call ended. */
    default void onCallRecorded(String breaker, Outcome outcome, boolean slow, long durationNanos) {}

    /** A call was refused. */
    default void onCallRejected(String breaker, CircuitState state) {}

    /**
     * Whether {@link #onCallRecorded} needs each call's exact duration, as a timer does. Answer
     * {@code false} when only the outcome and the slow flag matter (a log of failures and slow
     * calls, say): a breaker on the system clock whose listeners all answer {@code false} keeps
     * timing its calls with its coarse clock, accurate to 1/64 of the slow-call duration, instead of
     * reading the exact clock twice on every call. Called once, when the breaker is built.
     */
    default boolean needsExactDurations() {
        return true;
    }
}
