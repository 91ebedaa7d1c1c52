package dev.retry.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps every event a hedging policy publishes, in order, as "kind:attempts" (plus ":winner" for a
 * win) and as events.
 */
final class RecordingHedgeListener implements HedgeListener {

    final List<String> log = new ArrayList<>();
    final List<HedgeEvent> events = new ArrayList<>();

    @Override
    public synchronized void onHedgeStarted(HedgeEvent event) {
        record("started", event);
    }

    @Override
    public synchronized void onPrimaryWon(HedgeEvent event) {
        record("primary-won", event);
    }

    @Override
    public synchronized void onHedgeWon(HedgeEvent event) {
        record("hedge-won", event);
    }

    @Override
    public synchronized void onAllFailed(HedgeEvent event) {
        record("failure", event);
    }

    @Override
    public synchronized void onBudgetExhausted(HedgeEvent event) {
        record("budget", event);
    }

    @Override
    public synchronized void onCancelled(HedgeEvent event) {
        record("cancelled", event);
    }

    synchronized List<String> log() {
        return List.copyOf(log);
    }

    private void record(String kind, HedgeEvent event) {
        log.add(kind + ":" + event.attempts() + (event.winner() != 0 ? ":" + event.winner() : ""));
        events.add(event);
    }
}
