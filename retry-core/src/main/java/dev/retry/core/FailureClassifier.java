package dev.retry.core;

import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a failure may be retried: abort rules first, then retry rules.
 *
 * <p>Type rules match subclasses and are checked against the whole cause chain, because what a
 * user names ({@code SocketTimeoutException}, say) often arrives wrapped in a framework exception.
 */
final class FailureClassifier {

    /** Cause chains longer than this are cut short; it also ends a chain that loops. */
    private static final int MAX_CAUSE_DEPTH = 64;

    private final Class<?>[] retryOn;
    private final Class<?>[] abortOn;
    private final @Nullable Predicate<? super Throwable> retryIf;
    private final @Nullable Predicate<? super Throwable> abortIf;
    private final boolean everyException;

    FailureClassifier(
            List<Class<? extends Throwable>> retryOn,
            List<Class<? extends Throwable>> abortOn,
            @Nullable Predicate<? super Throwable> retryIf,
            @Nullable Predicate<? super Throwable> abortIf) {
        this.retryOn = retryOn.toArray(new Class<?>[0]);
        this.abortOn = abortOn.toArray(new Class<?>[0]);
        this.retryIf = retryIf;
        this.abortIf = abortIf;
        this.everyException = retryOn.isEmpty() && retryIf == null;
    }

    /**
     * Returns {@code null} when the failure may be retried, otherwise why it may not: {@link
     * RetryEvent.Reason#ABORTED} when an abort rule matched, {@link RetryEvent.Reason#NOT_RETRYABLE}
     * when no retry rule did.
     */
    RetryEvent.@Nullable Reason classify(Throwable failure) {
        // An interrupted call was asked to stop; trying it again would defeat the interrupt.
        if (failure instanceof InterruptedException) {
            return RetryEvent.Reason.ABORTED;
        }
        // A breaker that refuses a call has just said the callee needs rest, and a full bulkhead that
        // this process is too busy: retrying either would only add to the load. Never retried.
        if (failure instanceof CircuitOpenException || failure instanceof BulkheadFullException) {
            return RetryEvent.Reason.ABORTED;
        }
        if (matchesInCauseChain(failure, abortOn) || (abortIf != null && abortIf.test(failure))) {
            return RetryEvent.Reason.ABORTED;
        }
        if (everyException) {
            // Errors (OutOfMemoryError, AssertionError, ...) are not transient: never retried by default.
            return failure instanceof Exception ? null : RetryEvent.Reason.NOT_RETRYABLE;
        }
        if (matchesInCauseChain(failure, retryOn) || (retryIf != null && retryIf.test(failure))) {
            return null;
        }
        return RetryEvent.Reason.NOT_RETRYABLE;
    }

    static boolean matchesInCauseChain(Throwable failure, Class<?>[] types) {
        if (types.length == 0) {
            return false;
        }
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
            for (Class<?> type : types) {
                if (type.isInstance(current)) {
                    return true;
                }
            }
            Throwable cause = current.getCause();
            current = cause == current ? null : cause;
        }
        return false;
    }

    /** The delay requested by the failure or anything in its cause chain, or {@code null}. */
    static java.time.@Nullable Duration requestedDelay(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (current instanceof RetryDelayHint) {
                java.time.Duration requested = ((RetryDelayHint) current).requestedRetryDelay();
                if (requested != null) {
                    return requested;
                }
            }
            Throwable cause = current.getCause();
            current = cause == current ? null : cause;
        }
        return null;
    }
}
