package dev.retry.core;

import java.util.ArrayList;
import java.util.List;

/** Keeps every event a policy publishes, in order, as "kind:attempts[:reason]" and as events. */
final class RecordingListener implements RetryListener {

    final List<String> log = new ArrayList<>();
    final List<RetryEvent> events = new ArrayList<>();

    @Override
    public synchronized void onRetry(RetryEvent event) {
        record("retry", event);
    }

    @Override
    public synchronized void onSuccess(RetryEvent event) {
        record("success", event);
    }

    @Override
    public synchronized void onFailure(RetryEvent event) {
        record("failure", event);
    }

    @Override
    public synchronized void onBudgetExhausted(RetryEvent event) {
        record("budget", event);
    }

    private void record(String kind, RetryEvent event) {
        log.add(kind + ":" + event.attempts() + (event.reason() != null ? ":" + event.reason() : ""));
        events.add(event);
    }
}
