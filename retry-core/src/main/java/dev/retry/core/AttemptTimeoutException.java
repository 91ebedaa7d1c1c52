package dev.retry.core;

import java.time.Duration;

/**
 * Thrown when an attempt overran the time a {@link TimeoutPolicy} allows it. A retry policy retries
 * it like any other failure unless an abort rule names it, and a circuit breaker counts it as a
 * failure: a callee too slow to answer in time is as unwell as one that answers with an error.
 *
 * <p>When the attempt itself ended in a failure after its deadline (most often the {@link
 * InterruptedException} the timeout's own interrupt caused), that failure is attached as suppressed.
 */
public final class AttemptTimeoutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String timeout;
    private final Duration duration;

    AttemptTimeoutException(String timeout, Duration duration) {
        // No stack trace: it would show the timeout's machinery (often the timer's thread), never the
        // caller's code, and under overload many calls time out at once. Suppression stays on, for the
        // attempt's own failure and for the earlier failures a retry attaches.
        super(
                "Timeout '" + timeout + "' of " + Durations.format(duration) + " expired before the attempt finished",
                null,
                true,
                false);
        this.timeout = timeout;
        this.duration = duration;
    }

    /** The name of the timeout that expired. */
    public String timeout() {
        return timeout;
    }

    /** The time the attempt was allowed. */
    public Duration duration() {
        return duration;
    }
}
