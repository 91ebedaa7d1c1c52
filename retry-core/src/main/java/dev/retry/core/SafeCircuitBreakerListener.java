package dev.retry.core;

import java.util.List;

/** Passes events on to every listener; one that throws is logged and changes nothing. */
final class SafeCircuitBreakerListener implements CircuitBreakerListener {

    private static final System.Logger LOGGER = System.getLogger(CircuitBreakerPolicy.class.getName());

    private final CircuitBreakerListener[] listeners;

    SafeCircuitBreakerListener(List<CircuitBreakerListener> listeners) {
        this.listeners = listeners.toArray(new CircuitBreakerListener[0]);
    }

    @Override
    public void onStateTransition(String breaker, CircuitState from, CircuitState to) {
        for (CircuitBreakerListener listener : listeners) {
            try {
                listener.onStateTransition(breaker, from, to);
            } catch (RuntimeException failure) {
                report(listener, breaker, failure);
            }
        }
    }

    @Override
    public void onCallRecorded(String breaker, Outcome outcome, boolean slow, long durationNanos) {
        for (CircuitBreakerListener listener : listeners) {
            try {
                listener.onCallRecorded(breaker, outcome, slow, durationNanos);
            } catch (RuntimeException failure) {
                report(listener, breaker, failure);
            }
        }
    }

    @Override
    public void onCallRejected(String breaker, CircuitState state) {
        for (CircuitBreakerListener listener : listeners) {
            try {
                listener.onCallRejected(breaker, state);
            } catch (RuntimeException failure) {
                report(listener, breaker, failure);
            }
        }
    }

    private static void report(CircuitBreakerListener listener, String breaker, RuntimeException failure) {
        LOGGER.log(System.Logger.Level.WARNING,
                () -> "Circuit breaker listener " + listener + " failed for breaker '" + breaker
                        + "'; the call goes on unaffected", failure);
    }
}
