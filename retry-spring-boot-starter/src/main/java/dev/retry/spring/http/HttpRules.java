package dev.retry.spring.http;

import dev.retry.core.CircuitBreakerPolicyBuilder;
import dev.retry.core.RetryPolicyBuilder;
import dev.retry.spring.registry.FailureRules;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.springframework.util.ClassUtils;

/**
 * The contract's rules for Spring's HTTP client failures, applied to every retry policy and breaker
 * when spring-web is on the class path, and nothing otherwise: a policy retries the statuses of its
 * {@code retry-on-status} and never another 4xx; a breaker counts as failures the statuses of its
 * {@code record-on-status} and any other status as a success.
 */
public final class HttpRules {

    private HttpRules() {}

    /** The rules for Spring's HTTP clients when spring-web is present, {@link FailureRules#NONE} otherwise. */
    public static FailureRules forClassPath() {
        if (ClassUtils.isPresent(
                "org.springframework.web.client.RestClientResponseException", HttpRules.class.getClassLoader())) {
            return new Present();
        }
        return FailureRules.NONE;
    }

    /** In a class of its own, so that {@link HttpFailures} is loaded only with spring-web present. */
    private static final class Present implements FailureRules {

        private final HttpFailures failures = new HttpFailures(Clock.systemUTC());

        @Override
        public void retryPolicy(RetryPolicyBuilder builder, List<Integer> retryOnStatus, boolean retryOnIsNarrowed) {
            Set<Integer> statuses = Set.copyOf(retryOnStatus);
            // Other 4xx are never retried; listed statuses are retried even when retry-on names other types.
            builder.abortIf(failures.isClientErrorOutside(statuses));
            if (retryOnIsNarrowed) {
                builder.retryIf(failures.hasStatusIn(statuses));
            }
            builder.requestedDelay(failures.retryAfter());
        }

        @Override
        public void circuitBreaker(CircuitBreakerPolicyBuilder builder, List<Integer> recordOnStatus) {
            // A status outside the list is the service answering ("not found"), not a sign of trouble.
            builder.successIf(failures.hasStatusOutside(Set.copyOf(recordOnStatus)));
        }
    }
}
