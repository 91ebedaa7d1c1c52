package dev.retry.core;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Passes events on to the registered listeners, so that one that throws neither changes the outcome
 * of the call nor keeps the others from hearing the event.
 */
final class SafeHedgeListener implements HedgeListener {

    private static final System.Logger LOGGER = System.getLogger(HedgePolicy.class.getName());

    private final String policy;
    private final HedgeListener[] listeners;

    SafeHedgeListener(String policy, List<HedgeListener> listeners) {
        this.policy = policy;
        this.listeners = listeners.toArray(new HedgeListener[0]);
    }

    @Override
    public void onHedgeStarted(HedgeEvent event) {
        dispatch(event, HedgeListener::onHedgeStarted, "onHedgeStarted");
    }

    @Override
    public void onPrimaryWon(HedgeEvent event) {
        dispatch(event, HedgeListener::onPrimaryWon, "onPrimaryWon");
    }

    @Override
    public void onHedgeWon(HedgeEvent event) {
        dispatch(event, HedgeListener::onHedgeWon, "onHedgeWon");
    }

    @Override
    public void onAllFailed(HedgeEvent event) {
        dispatch(event, HedgeListener::onAllFailed, "onAllFailed");
    }

    @Override
    public void onBudgetExhausted(HedgeEvent event) {
        dispatch(event, HedgeListener::onBudgetExhausted, "onBudgetExhausted");
    }

    @Override
    public void onCancelled(HedgeEvent event) {
        dispatch(event, HedgeListener::onCancelled, "onCancelled");
    }

    private void dispatch(HedgeEvent event, BiConsumer<HedgeListener, HedgeEvent> method, String methodName) {
        for (HedgeListener listener : listeners) {
            try {
                method.accept(listener, event);
            } catch (RuntimeException failure) {
                LOGGER.log(System.Logger.Level.WARNING,
                        () -> "Hedge listener " + listener + "." + methodName + " failed for policy '" + policy
                                + "'; the call goes on unaffected", failure);
            }
        }
    }
}
