package dev.retry.spring.observation;

import dev.retry.core.AttemptTimeoutException;
import dev.retry.core.BulkheadFullException;
import dev.retry.core.CircuitOpenException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/** How an attempt ended: the {@code outcome} key of a {@code retry.attempt} observation. */
public enum AttemptOutcome {
    /** It returned a result. */
    SUCCESS,
    /** It failed with an exception of its own. */
    FAILURE,
    /** Its {@code @Timeout} ran out ({@link AttemptTimeoutException}). */
    TIMEOUT,
    /** A circuit breaker or a bulkhead refused it ({@link CircuitOpenException}, {@link BulkheadFullException}). */
    REJECTED,
    /** It was stopped before it ended: another hedge won, or the caller cancelled the call. */
    CANCELLED;

    private final String value = name().toLowerCase(Locale.ROOT);

    /** {@code success}, {@code failure}, {@code timeout}, {@code rejected} or {@code cancelled}: the key's value. */
    public String value() {
        return value;
    }

    /** The outcome an attempt that ended with {@code failure} ({@code null} for a result) had. */
    static AttemptOutcome of(@Nullable Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause == null) {
            return SUCCESS;
        }
        if (cause instanceof AttemptTimeoutException) {
            return TIMEOUT;
        }
        if (cause instanceof CircuitOpenException || cause instanceof BulkheadFullException) {
            return REJECTED;
        }
        if (cause instanceof CancellationException) {
            return CANCELLED;
        }
        return FAILURE;
    }

    /** A future's failure as the attempt threw it, without the wrapper a stage adds. */
    static @Nullable Throwable unwrap(@Nullable Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
