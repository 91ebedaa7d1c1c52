package dev.retry.spring.cloud;

import dev.retry.core.CircuitBreakerConfig;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.spring.registry.RetryRegistry;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;

/**
 * Spring Cloud CircuitBreaker's factory, backed by {@code retry}'s breakers, so that OpenFeign,
 * Spring Cloud Gateway's {@code CircuitBreaker} filter, HTTP service clients and any code written
 * against Spring Cloud's abstraction use the breakers of {@code application.yml}:
 * {@code create("inventory")} is {@code retry.circuit-breakers.inventory}, the same instance the
 * annotations, the meters and the {@code circuitbreakers} endpoint see. An id YAML does not name
 * gets a breaker of its own with the {@code default} entry's configuration, as an unnamed
 * {@code @CircuitBreaker} does, and appears in the meters and the endpoint under that id.
 *
 * <p>A {@code Customizer<RetryCircuitBreakerFactory>} bean may adjust breakers in code with
 * {@link #configure} (starting from what YAML says for that id) or {@link #configureDefault} (for
 * every id YAML does not name). A configuration change while the application runs re-applies YAML,
 * which then replaces what code set for that breaker.
 */
public final class RetryCircuitBreakerFactory
        extends CircuitBreakerFactory<CircuitBreakerConfig, RetryCircuitBreakerConfigBuilder> {

    private final CloudBreakers<CircuitBreaker> breakers;

    public RetryCircuitBreakerFactory(RetryRegistry registry) {
        this.breakers = new CloudBreakers<>(registry, RetryCloudCircuitBreaker::new);
    }

    @Override
    public CircuitBreaker create(String id) {
        return breakers.create(id, getConfigurations());
    }

    @Override
    public CircuitBreaker create(String id, String groupName) {
        return create(id);
    }

    @Override
    public void configure(Consumer<RetryCircuitBreakerConfigBuilder> consumer, String... ids) {
        super.configure(consumer, ids);
        breakers.configured(ids, getConfigurations());
    }

    @Override
    public void configureDefault(Function<String, CircuitBreakerConfig> defaultConfiguration) {
        breakers.configureDefault(defaultConfiguration);
    }

    /** A builder starting from what YAML (or an earlier {@code configure}) gives {@code id} now. */
    @Override
    public RetryCircuitBreakerConfigBuilder configBuilder(String id) {
        return breakers.builderFor(id);
    }

    /** One breaker, as Spring Cloud's blocking API runs it. */
    static final class RetryCloudCircuitBreaker implements CircuitBreaker {

        private final CircuitBreakerPolicy policy;

        RetryCloudCircuitBreaker(CircuitBreakerPolicy policy) {
            this.policy = policy;
        }

        @Override
        public <T> T run(Supplier<T> toRun, Function<Throwable, T> fallback) {
            try {
                return policy.call(toRun::get);
            } catch (RuntimeException failure) {
                // A refusal arrives as CircuitOpenException, which says when calls may pass again.
                return fallback.apply(failure);
            }
        }
    }
}
