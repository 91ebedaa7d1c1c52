package dev.retry.core;

/** The states of a circuit breaker. */
public enum CircuitState {
    /** Calls pass and are recorded; too many failures or slow calls open the breaker. */
    CLOSED,
    /** Calls are refused until the open duration has passed; then the breaker lets trial calls through. */
    OPEN,
    /** A fixed number of trial calls pass; their outcome closes the breaker or opens it again. */
    HALF_OPEN,
    /** Calls are refused until someone moves the breaker to another state. */
    FORCED_OPEN,
    /** Calls always pass and nothing is recorded. */
    DISABLED
}
