package dev.retry.core;

import java.util.List;

/** Passes each event on to every listener, the {@link Listeners} way. */
final class SafeFallbackListener implements FallbackListener {

    private final FallbackListener[] listeners;

    SafeFallbackListener(List<FallbackListener> listeners) {
        this.listeners = listeners.toArray(new FallbackListener[0]);
    }

    @Override
    public void onFallback(String fallback, Throwable failure, boolean lastKnownGood) {
        for (FallbackListener listener : listeners) {
            try {
                listener.onFallback(fallback, failure, lastKnownGood);
            } catch (RuntimeException broken) {
                Listeners.failed(FallbackPolicy.class, listener, "onFallback", fallback, broken);
            }
        }
    }
}
