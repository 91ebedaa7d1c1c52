package dev.retry.spring.registry;

import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.FallbackListener;
import dev.retry.core.HedgePolicy;
import dev.retry.core.RetryPolicy;
import dev.retry.core.TimeoutPolicy;

/**
 * Where annotated methods find their policies: the named, shared instances configured under {@code
 * retry.*}. Asked once per annotated method, when its bean is created, never on a call.
 *
 * <p>Each method throws {@link UnknownPolicyException} when the name is not configured, and an
 * {@link IllegalArgumentException} saying what is allowed when an inline override is out of range.
 */
public interface PolicySource {

    /**
     * The retry policy for {@code annotation}: the named entry, with the annotation's inline
     * overrides applied. Methods that name the same entry share its budget.
     */
    RetryPolicy retryPolicy(Retryable annotation);

    /**
     * The breaker {@code name} names; one instance per name, shared by every method that names it.
     * An empty name asks for a breaker of the method's own, configured as {@code default}, known by
     * {@code methodName}.
     */
    CircuitBreakerPolicy circuitBreaker(String name, String methodName);

    /** The hedging policy for {@code annotation}, with its inline overrides applied. */
    HedgePolicy hedgePolicy(Hedged annotation);

    /** The timeout for {@code annotation}: the named entry, with its inline {@code duration} applied. */
    TimeoutPolicy timeoutPolicy(Timeout annotation);

    /**
     * The bulkhead {@code name} names; one instance per name, shared by every method that names it.
     * An empty name asks for a bulkhead of the method's own, configured as {@code default}.
     */
    BulkheadPolicy bulkhead(String name, String methodName);

    /** What the fallbacks of annotated methods report to; {@code null} when nobody listens. */
    default FallbackListener fallbackListener() {
        return null;
    }
}
