package dev.retry.core;

import java.util.List;

/** Passes each event on to every listener, the {@link Listeners} way. */
final class SafeCircuitBreakerListener implements CircuitBreakerListener {

    private final CircuitBreakerListener[] listeners;

    private final boolean needsExactDurations;

    SafeCircuitBreakerListener(String breaker, List<CircuitBreakerListener> listeners) {
        this.listeners = listeners.toArray(new CircuitBreakerListener[0]);
        this.needsExactDurations = anyNeedsExactDurations(breaker, this.listeners);
    }

    private static boolean anyNeedsExactDurations(String breaker, CircuitBreakerListener[] listeners) {
        for (CircuitBreakerListener listener : listeners) {
            try {
                if (listener.needsExactDurations()) {
                    return true;
                }
            } catch (RuntimeException failure) {
                Listeners.failed(CircuitBreakerPolicy.class, listener, "needsExactDurations", breaker, failure);
                return true; // a listener that cannot say gets what every listener got before it could
            }
        }
        return false;
    }

    /** True when any listener needs each call's exact duration. */
    @Override
    public boolean needsExactDurations() {
        return needsExactDurations;
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
