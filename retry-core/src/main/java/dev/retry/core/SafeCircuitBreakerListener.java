package dev.retry.core;

import java.util.List;

/** Passes each event on to every listener, the {@link Listeners} way. */
final class SafeCircuitBreakerListener implements CircuitBreakerListener {

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
                Listeners.failed(CircuitBreakerPolicy.class, listener, "onStateTransition", breaker, failure);
            }
        }
    }

    @Override
    public void onCallRecorded(String breaker, Outcome outcome, boolean slow, long durationNanos) {
        for (CircuitBreakerListener listener : listeners) {
            try {
                listener.onCallRecorded(breaker, outcome, slow, durationNanos);
            } catch (RuntimeException failure) {
                Listeners.failed(CircuitBreakerPolicy.class, listener, "onCallRecorded", breaker, failure);
            }
        }
    }

    @Override
    public void onCallRejected(String breaker, CircuitState state) {
        for (CircuitBreakerListener listener : listeners) {
            try {
                listener.onCallRejected(breaker, state);
            } catch (RuntimeException failure) {
                Listeners.failed(CircuitBreakerPolicy.class, listener, "onCallRejected", breaker, failure);
            }
        }
    }
}
