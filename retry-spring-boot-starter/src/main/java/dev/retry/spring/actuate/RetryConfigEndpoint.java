package dev.retry.spring.actuate;

import dev.retry.spring.autoconfigure.EffectiveBulkhead;
import dev.retry.spring.autoconfigure.EffectiveCircuitBreaker;
import dev.retry.spring.autoconfigure.EffectiveHedge;
import dev.retry.spring.autoconfigure.EffectiveRetryPolicy;
import dev.retry.spring.autoconfigure.EffectiveTimeout;
import dev.retry.spring.autoconfigure.RetrySettings;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/retryconfig}: the configuration every name actually runs with, after each entry
 * has inherited from its section's {@code default} and the built-in values, so that nobody has to
 * work out the merge by hand. Read only.
 */
@Endpoint(id = "retryconfig")
public class RetryConfigEndpoint {

    private final RetrySettings settings;

    public RetryConfigEndpoint(RetrySettings settings) {
        this.settings = settings;
    }

    @ReadOperation
    public RetryConfigDescriptor retryConfig() {
        return new RetryConfigDescriptor(settings.strictNames(), settings.policies(), settings.circuitBreakers(),
                settings.hedges(), settings.timeouts(), settings.bulkheads());
    }

    /** Every section, each entry fully resolved. */
    public record RetryConfigDescriptor(boolean strictNames, Map<String, EffectiveRetryPolicy> policies,
            Map<String, EffectiveCircuitBreaker> circuitBreakers, Map<String, EffectiveHedge> hedges,
            Map<String, EffectiveTimeout> timeouts, Map<String, EffectiveBulkhead> bulkheads) {
    }
}
