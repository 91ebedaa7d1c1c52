package dev.retry.spring.registry;

import dev.retry.core.BulkheadListener;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.CircuitBreakerListener;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.FallbackListener;
import dev.retry.core.HedgeListener;
import dev.retry.core.HedgePolicy;
import dev.retry.core.RetryListener;
import dev.retry.core.RetryPolicy;
import dev.retry.core.TimeoutListener;

/**
 * Listeners that every policy the {@link RetryRegistry} builds is given: declare a bean of this
 * type to log, trace or count what the policies do. The starter's own meters are one of them.
 * Each method is asked once per instance, when it is built; {@code null} means no listener.
 */
public interface PolicyListeners {

    default RetryListener retryListener(String name) {
        return null;
    }

    default CircuitBreakerListener circuitBreakerListener(String name) {
        return null;
    }

    default HedgeListener hedgeListener(String name) {
        return null;
    }

    default TimeoutListener timeoutListener(String name) {
        return null;
    }

    default BulkheadListener bulkheadListener(String name) {
        return null;
    }

    /** For the fallbacks of annotated methods; {@code fallback} in its events names the method. */
    default FallbackListener fallbackListener() {
        return null;
    }

    /** A retry policy was built, under {@code name}. */
    default void retryPolicyBuilt(String name, RetryPolicy policy) {}

    /** A circuit breaker was built. */
    default void circuitBreakerBuilt(CircuitBreakerPolicy breaker) {}

    /** A bulkhead was built. */
    default void bulkheadBuilt(BulkheadPolicy bulkhead) {}

    /** A hedging policy was built, under {@code name}. */
    default void hedgePolicyBuilt(String name, HedgePolicy policy) {}
}
