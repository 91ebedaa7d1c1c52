package dev.retry.core;

import java.util.List;

/** Passes each event on to every listener, the {@link Listeners} way. */
final class SafeTimeoutListener implements TimeoutListener {

    private final TimeoutListener[] listeners;

    SafeTimeoutListener(List<TimeoutListener> listeners) {
        this.listeners = listeners.toArray(new TimeoutListener[0]);
    }

    @Override
    public void onAttemptFinished(String timeout, Outcome outcome, long durationNanos) {
        for (TimeoutListener listener : listeners) {
            try {
                listener.onAttemptFinished(timeout, outcome, durationNanos);
            } catch (RuntimeException failure) {
                Listeners.failed(TimeoutPolicy.class, listener, "onAttemptFinished", timeout, failure);
            }
        }
    }
}
