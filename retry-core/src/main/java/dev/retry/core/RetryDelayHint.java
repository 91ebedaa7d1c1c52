package dev.retry.core;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Implemented by an exception that carries the delay its source asked for before the next try,
 * such as the value of an HTTP {@code Retry-After} header.
 *
 * <p>When a failure (or any exception in its cause chain) implements this and returns a delay, that
 * delay replaces the one the backoff would have computed. It is still capped by the policy's {@code
 * maxDelay}, and a retry it would push past {@code maxDuration} is not started.
 */
public interface RetryDelayHint {

    /** The requested delay, or {@code null} when this failure requests none. */
    @Nullable
    Duration requestedRetryDelay();
}
