package dev.retry.core;

/**
 * Hears what a {@link BulkheadPolicy} decides, to count it.
 *
 * <p>Arguments are plain values, so telling a listener allocates nothing. Methods run on the thread
 * that made the decision (the caller's, or a timer's for a wait that ran out) and should be quick;
 * an exception thrown by a listener is logged and otherwise ignored. The number of calls holding a
 * permit is not an event but a reading: {@link BulkheadPolicy#currentConcurrentCalls()}.
 */
public interface BulkheadListener {

    /** A call received a permit and is about to start, at once or after waiting. */
    default void onCallPermitted(String bulkhead) {}

    /** A call was refused: no permit was free within the bulkhead's {@code maxWait}, or its wait was interrupted. */
    default void onCallRejected(String bulkhead) {}
}
