package dev.retry.core;

import java.util.List;

/** Passes each event on to every listener, the {@link Listeners} way. */
final class SafeHedgeListener implements HedgeListener {

    private final String policy;
    private final HedgeListener[] listeners;

    /**
     * Whether {@code listener} does something when the primary wins: whether its class overrides
     * {@link HedgeListener#onPrimaryWon}, which is public, so that the lookup always finds it.
     */
    static boolean hearsPrimaryWins(HedgeListener listener) {
        try {
            return listener.getClass()
                            .getMethod("onPrimaryWon", HedgeEvent.class)
                            .getDeclaringClass()
                    != HedgeListener.class;
        } catch (NoSuchMethodException cannotHappen) {
            return true;
        }
    }

    SafeHedgeListener(String policy, List<HedgeListener> listeners) {
        this.policy = policy;
        this.listeners = listeners.toArray(new HedgeListener[0]);
    }

    @Override
    public void onHedgeStarted(HedgeEvent event) {
        for (HedgeListener listener : listeners) {
            try {
                listener.onHedgeStarted(event);
            } catch (RuntimeException failure) {
                Listeners.failed(HedgePolicy.class, listener, "onHedgeStarted", policy, failure);
            }
        }
    }

    @Override
    public void onPrimaryWon(HedgeEvent event) {
        for (HedgeListener listener : listeners) {
            try {
                listener.onPrimaryWon(event);
            } catch (RuntimeException failure) {
                Listeners.failed(HedgePolicy.class, listener, "onPrimaryWon", policy, failure);
            }
        }
    }

    @Override
    public void onHedgeWon(HedgeEvent event) {
        for (HedgeListener listener : listeners) {
            try {
                listener.onHedgeWon(event);
            } catch (RuntimeException failure) {
                Listeners.failed(HedgePolicy.class, listener, "onHedgeWon", policy, failure);
            }
        }
    }

    @Override
    public void onAllFailed(HedgeEvent event) {
        for (HedgeListener listener : listeners) {
            try {
                listener.onAllFailed(event);
            } catch (RuntimeException failure) {
                Listeners.failed(HedgePolicy.class, listener, "onAllFailed", policy, failure);
            }
        }
    }

    @Override
    public void onBudgetExhausted(HedgeEvent event) {
        for (HedgeListener listener : listeners) {
            try {
                listener.onBudgetExhausted(event);
            } catch (RuntimeException failure) {
                Listeners.failed(HedgePolicy.class, listener, "onBudgetExhausted", policy, failure);
            }
        }
    }

    @Override
    public void onCancelled(HedgeEvent event) {
        for (HedgeListener listener : listeners) {
            try {
                listener.onCancelled(event);
            } catch (RuntimeException failure) {
                Listeners.failed(HedgePolicy.class, listener, "onCancelled", policy, failure);
            }
        }
    }
}
