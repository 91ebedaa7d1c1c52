package dev.retry.core;

/**
 * What a circuit breaker looks like at one moment, for monitoring.
 *
 * @param state the current state
 * @param failureRate failed calls as a percentage of the recorded ones; -1 until {@code minimumCalls}
 * @param slowCallRate slow calls as a percentage of the recorded ones; -1 until {@code minimumCalls}
 * @param bufferedCalls calls in the window (in half-open, the trial calls recorded so far)
 * @param failedCalls of those, the failed ones
 * @param slowCalls of those, the slow ones
 * @param notPermittedCalls calls refused since the breaker was built or last reset
 */
public record CircuitBreakerSnapshot(
        CircuitState state,
        float failureRate,
        float slowCallRate,
        int bufferedCalls,
        int failedCalls,
        int slowCalls,
        long notPermittedCalls) {}
