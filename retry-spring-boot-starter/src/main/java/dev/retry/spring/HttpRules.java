package dev.retry.spring;

import dev.retry.core.RetryPolicyBuilder;
import dev.retry.spring.http.HttpFailures;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.springframework.util.ClassUtils;

/**
 * The contract's rules for Spring's HTTP client failures, applied to a retry policy when spring-web
 * is on the class path, and nothing otherwise.
 */
abstract class HttpRules {

    abstract void apply(RetryPolicyBuilder builder, List<Integer> retryOnStatus, boolean retryOnIsNarrowed);

    static HttpRules forClassPath() {
        if (ClassUtils.isPresent("org.springframework.web.client.RestClientResponseException",
                HttpRules.class.getClassLoader())) {
            return new Present();
        }
        return new HttpRules() {
            @Override
            void apply(RetryPolicyBuilder builder, List<Integer> retryOnStatus, boolean retryOnIsNarrowed) {
            }
        };
    }

    /** In a class of its own, so that {@link HttpFailures} is loaded only with spring-web present. */
    private static final class Present extends HttpRules {

        private final HttpFailures failures = new HttpFailures(Clock.systemUTC());

        @Override
        void apply(RetryPolicyBuilder builder, List<Integer> retryOnStatus, boolean retryOnIsNarrowed) {
            Set<Integer> statuses = Set.copyOf(retryOnStatus);
            // Other 4xx are never retried; listed statuses are retried even when retry-on names other types.
            builder.abortIf(failures.isClientErrorOutside(statuses));
            if (retryOnIsNarrowed) {
                builder.retryIf(failures.hasStatusIn(statuses));
            }
            builder.requestedDelay(failures.retryAfter());
        }
    }
}
