package dev.retry.spring.interceptor;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;

/**
 * The caller's context as Micrometer's context-propagation library sees it (the current
 * observation and span, and whatever else the application registered), loaded only when that
 * library is on the class path.
 */
final class ThreadContext {

    private static final ContextSnapshotFactory SNAPSHOTS =
            ContextSnapshotFactory.builder().build();

    private final ContextSnapshot snapshot;

    private ThreadContext(ContextSnapshot snapshot) {
        this.snapshot = snapshot;
    }

    static ThreadContext capture() {
        return new ThreadContext(SNAPSHOTS.captureAll());
    }

    /** Puts the captured context in place on this thread until the returned scope is closed. */
    AutoCloseable restore() {
        return snapshot.setThreadLocals();
    }
}
