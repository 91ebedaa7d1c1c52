package dev.retry.core;

import java.util.List;

/** Passes events on to every listener; one that throws is logged and changes nothing. */
final class SafeBulkheadListener implements BulkheadListener {

    private static final System.Logger LOGGER = System.getLogger(BulkheadPolicy.class.getName());

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
                report(listener, bulkhead, failure);
            }
        }
    }

    @Override
    public void onCallRejected(String bulkhead) {
        for (BulkheadListener listener : listeners) {
            try {
                listener.onCallRejected(bulkhead);
            } catch (RuntimeException failure) {
                report(listener, bulkhead, failure);
            }
        }
    }

    private static void report(BulkheadListener listener, String bulkhead, RuntimeException failure) {
        LOGGER.log(System.Logger.Level.WARNING, () -> "Bulkhead listener " + listener + " failed for bulkhead '"
                + bulkhead + "'; the call goes on unaffected", failure);
    }
}
