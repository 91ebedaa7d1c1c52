package dev.retry.spring.autoconfigure;

import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.annotation.Timeout;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.FallbackListener;
import dev.retry.core.HedgePolicy;
import dev.retry.core.RetryPolicy;
import dev.retry.core.TimeoutPolicy;
import dev.retry.spring.registry.PolicySource;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Looks up the application's {@link PolicySource} when the first annotated bean asks for a policy,
 * so that a post-processor holding it pulls no bean forward. Public for {@code retry-aspectj}'s
 * auto-configuration, which connects its aspect as early.
 */
public final class LazyPolicySource implements PolicySource {

    private final ObjectProvider<PolicySource> source;

    public LazyPolicySource(ObjectProvider<PolicySource> source) {
        this.source = source;
    }

    @Override
    public RetryPolicy retryPolicy(Retryable annotation) {
        return source.getObject().retryPolicy(annotation);
    }

    @Override
    public CircuitBreakerPolicy circuitBreaker(String name, String methodName) {
        return source.getObject().circuitBreaker(name, methodName);
    }

    @Override
    public HedgePolicy hedgePolicy(Hedged annotation) {
        return source.getObject().hedgePolicy(annotation);
    }

    @Override
    public TimeoutPolicy timeoutPolicy(Timeout annotation) {
        return source.getObject().timeoutPolicy(annotation);
    }

    @Override
    public BulkheadPolicy bulkhead(String name, String methodName) {
        return source.getObject().bulkhead(name, methodName);
    }

    @Override
    public FallbackListener fallbackListener() {
        return source.getObject().fallbackListener();
    }
}
