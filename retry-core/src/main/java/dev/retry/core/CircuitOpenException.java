package dev.retry.core;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown instead of making a call when a circuit breaker does not permit it. A retry policy never
 * retries it: the breaker has just said the callee needs rest.
 */
public final class CircuitOpenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String breaker;
    private final CircuitState state;
    private final @Nullable Duration permitsAgainIn;

    CircuitOpenException(String breaker, CircuitState state, @Nullable Duration permitsAgainIn, String detail) {
        // No stack trace: refusals come in floods and the trace would only show the breaker. Suppression
        // stays on: when a breaker opens halfway through a call's retries, its refusal is what the caller
        // gets, and the earlier attempts' failures must be attached to it, as to any last failure.
        super("Circuit breaker '" + breaker + "' is " + state + " and refused the call: " + detail, null, true, false);
        this.breaker = breaker;
        this.state = state;
        this.permitsAgainIn = permitsAgainIn;
    }

    /** The name of the breaker that refused the call. */
    public String breaker() {
        return breaker;
    }

    /** The state the breaker was in. */
    public CircuitState state() {
        return state;
    }

    /**
     * How long until the breaker lets trial calls through; empty when that is not up to time
     * (forced open, or half-open with every trial taken).
     */
    public Optional<Duration> permitsAgainIn() {
        return Optional.ofNullable(permitsAgainIn);
    }
}
