package dev.retry.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Thrown instead of making a call when a {@link BulkheadPolicy} has no permit for it within its
 * {@code maxWait}. A retry policy never retries it and a circuit breaker never counts it: the
 * refusal says this process is busy, nothing about the callee's health, and retrying it would only
 * add to the crowd.
 *
 * <p>When the wait for a permit was cut short by an interrupt, the {@link InterruptedException} is
 * the cause and the thread's interrupt flag is still set.
 */
public final class BulkheadFullException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String bulkhead;
    private final int maxConcurrentCalls;
    private final Duration maxWait;

    BulkheadFullException(
            String bulkhead, int maxConcurrentCalls, Duration maxWait, @Nullable InterruptedException interrupted) {
        // No stack trace, like CircuitOpenException: refusals come in floods exactly when the process is
        // busiest, and the trace would only show the bulkhead.
        super(
                "Bulkhead '" + bulkhead + "' is full at its limit of " + maxConcurrentCalls + " concurrent "
                        + (maxConcurrentCalls == 1 ? "call" : "calls") + detail(maxWait, interrupted),
                interrupted,
                true,
                false);
        this.bulkhead = bulkhead;
        this.maxConcurrentCalls = maxConcurrentCalls;
        this.maxWait = maxWait;
    }

    private static String detail(Duration maxWait, @Nullable InterruptedException interrupted) {
        if (interrupted != null) {
            return "; the wait for a permit was interrupted";
        }
        return maxWait.isZero() ? "" : "; no permit was freed within " + Durations.format(maxWait);
    }

    /** The name of the bulkhead that refused the call. */
    public String bulkhead() {
        return bulkhead;
    }

    /** The bulkhead's limit. */
    public int maxConcurrentCalls() {
        return maxConcurrentCalls;
    }

    /** How long the call was allowed to wait for a permit; zero when it was refused at once. */
    public Duration maxWait() {
        return maxWait;
    }
}
