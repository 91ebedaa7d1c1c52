package dev.retry.core;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Passes events on to the registered listeners, so that one that throws neither changes the outcome
 * of the call nor keeps the others from hearing the event.
 */
final class SafeRetryListener implements RetryListener {


    private final String policy;
    private final RetryListener[] listeners;

    SafeRetryListener(String policy, List<RetryListener> listeners) {
        this.policy = policy;
        this.listeners = listeners.toArray(new RetryListener[0]);
    }

    @Override
    public void onRetry(RetryEvent event) {
        dispatch(event, RetryListener::onRetry, "onRetry");
    }

    @Override
    public void onSuccess(RetryEvent event) {
        dispatch(event, RetryListener::onSuccess, "onSuccess");
    }

    @Override
    public void onFailure(RetryEvent event) {
        dispatch(event, RetryListener::onFailure, "onFailure");
    }

    @Override
    public void onBudgetExhausted(RetryEvent event) {
        dispatch(event, RetryListener::onBudgetExhausted, "onBudgetExhausted");
    }

    private <E> void dispatch(E event, BiConsumer<RetryListener, E> method, String methodName) {
        Listeners.tellEach(listeners, event, method, methodName, RetryPolicy.class, policy);
    }
}
