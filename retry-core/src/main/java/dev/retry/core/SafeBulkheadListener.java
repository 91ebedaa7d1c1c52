package dev.retry.core;

import java.util.List;

/** Passes each event on to every listener, the {@link Listeners} way. */
final class SafeBulkheadListener implements BulkheadListener {

    private final BulkheadListener[] listeners;

    SafeBulkheadListener(List<BulkheadListener> listeners) {
        this.listeners = listeners.toArray(new BulkheadListener[0]);
    }

    @Override
    public void onCallPermitted(String bulkhead) {
        for (BulkheadListener listener : listeners) {
            try {
                listener.onCallPermitted(bulkhead);
            } catch (RuntimeException failure) {
                Listeners.failed(BulkheadPolicy.class, listener, "onCallPermitted", bulkhead, failure);
            }
        }
    }

    @Override
    public void onCallRejected(String bulkhead) {
        for (BulkheadListener listener : listeners) {
            try {
                listener.onCallRejected(bulkhead);
            } catch (RuntimeException failure) {
                Listeners.failed(BulkheadPolicy.class, listener, "onCallRejected", bulkhead, failure);
            }
        }
    }
}
