package dev.retry.core;

import java.util.List;

/** Passes events on to every listener; one that throws is logged and changes nothing. */
final class SafeTimeoutListener implements TimeoutListener {

    private static final System.Logger LOGGER = System.getLogger(TimeoutPolicy.class.getName());

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
                LOGGER.log(System.Logger.Level.WARNING,
                        () -> "Timeout listener " + listener + " failed for timeout '" + timeout
                                + "'; the call goes on unaffected", failure);
            }
        }
    }
}
