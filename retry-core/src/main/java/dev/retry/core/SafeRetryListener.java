package dev.retry.core;

import java.util.List;

/** Passes each event on to every listener, the {@link Listeners} way. */
final class SafeRetryListener implements RetryListener {

    private final String policy;
    private final RetryListener[] listeners;

    /**
     * Whether {@code listener} does something on a success: whether its class overrides {@link
     * RetryListener#onSuccess}, which is public, so that the lookup always finds it.
     */
    static boolean hearsSuccesses(RetryListener listener) {
        try {
            return listener.getClass().getMethod("onSuccess", RetryEvent.class).getDeclaringClass()
                    != RetryListener.class;
        } catch (NoSuchMethodException cannotHappen) {
            return true;
        }
    }

    SafeRetryListener(String policy, List<RetryListener> listeners) {
        this.policy = policy;
        this.listeners = listeners.toArray(new RetryListener[0]);
    }

    @Override
    public void onRetry(RetryEvent event) {
        for (RetryListener listener : listeners) {
            try {
                listener.onRetry(event);
            } catch (RuntimeException failure) {
                Listeners.failed(RetryPolicy.class, listener, "onRetry", policy, failure);
            }
        }
    }

    @Override
    public void onCallSucceeded(String policy, int attempts) {
        for (RetryListener listener : listeners) {
            try {
                listener.onCallSucceeded(policy, attempts);
            } catch (RuntimeException failure) {
                Listeners.failed(RetryPolicy.class, listener, "onCallSucceeded", policy, failure);
            }
        }
    }

    @Override
    public void onSuccess(RetryEvent event) {
        for (RetryListener listener : listeners) {
            try {
                listener.onSuccess(event);
            } catch (RuntimeException failure) {
                Listeners.failed(RetryPolicy.class, listener, "onSuccess", policy, failure);
            }
        }
    }

    @Override
    public void onFailure(RetryEvent event) {
        for (RetryListener listener : listeners) {
            try {
                listener.onFailure(event);
            } catch (RuntimeException failure) {
                Listeners.failed(RetryPolicy.class, listener, "onFailure", policy, failure);
            }
        }
    }

    @Override
    public void onBudgetExhausted(RetryEvent event) {
        for (RetryListener listener : listeners) {
            try {
                listener.onBudgetExhausted(event);
            } catch (RuntimeException failure) {
                Listeners.failed(RetryPolicy.class, listener, "onBudgetExhausted", policy, failure);
            }
        }
    }
}
