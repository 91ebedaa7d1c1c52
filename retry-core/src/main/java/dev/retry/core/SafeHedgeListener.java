package dev.retry.core;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Passes events on to the registered listeners, so that one that throws neither changes the outcome
 * of the call nor keeps the others from hearing the event.
 */
final class SafeHedgeListener implements HedgeListener {


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

    private <E> void dispatch(E event, BiConsumer<HedgeListener, E> method, String methodName) {
        Listeners.tellEach(listeners, event, method, methodName, HedgePolicy.class, policy);
    }
}
