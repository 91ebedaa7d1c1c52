package dev.retry.core;

/**
 * Hears how each attempt under a {@link TimeoutPolicy} ended, to count and time it.
 *
 * <p>Arguments are plain values, so telling a listener allocates nothing. It runs on whichever
 * thread ended the attempt (the caller's, a stage's, the timer's) and should be quick; an exception
 * thrown by a listener is logged and otherwise ignored.
 */
@FunctionalInterface
public interface TimeoutListener {

    /** How an attempt ended. */
    enum Outcome {
        /** It returned or completed in time. */
        SUCCESS,
        /** It failed in time; the failure is the call's. */
        FAILURE,
        /** It overran the limit; the call failed with {@link AttemptTimeoutException}. */
        TIMEOUT
    }

    /**
     * An attempt ended. Told once per attempt, except for an asynchronous attempt whose future the
     * caller cancelled first, which has no outcome to tell.
     *
     * @param timeout the timeout's name
     * @param outcome how it ended
     * @param durationNanos from the attempt's start to its end, or to its deadline for an
     *     asynchronous attempt that timed out
     */
    void onAttemptFinished(String timeout, Outcome outcome, long durationNanos);
}
