package dev.retry.spring.registry;

import dev.retry.core.CircuitBreakerPolicyBuilder;
import dev.retry.core.RetryPolicyBuilder;
import java.util.List;

/**
 * What a runtime part knows about the failures of one kind of client, added to every retry policy
 * and breaker the {@link RetryRegistry} builds: with spring-web, how Spring's HTTP client errors are
 * retried and counted, by status. The registry knows no client library; the auto-configuration
 * hands it the rules that the class path supports.
 */
public interface FailureRules {

    /** No rules: every failure follows the policy's own {@code retry-on} and {@code record-on}. */
    FailureRules NONE = new FailureRules() {};

    /**
     * @param retryOnStatus the policy's {@code retry-on-status}
     * @param retryOnIsNarrowed whether the policy retries only what {@code retry-on} names
     */
    default void retryPolicy(RetryPolicyBuilder builder, List<Integer> retryOnStatus, boolean retryOnIsNarrowed) {}

    /** @param recordOnStatus the breaker's {@code record-on-status} */
    default void circuitBreaker(CircuitBreakerPolicyBuilder builder, List<Integer> recordOnStatus) {}
}
