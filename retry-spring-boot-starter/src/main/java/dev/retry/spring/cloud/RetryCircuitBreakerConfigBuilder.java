package dev.retry.spring.cloud;

import dev.retry.core.CircuitBreakerConfig;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitBreakerPolicyBuilder;
import java.time.Duration;
import java.util.function.Consumer;
import org.springframework.cloud.client.circuitbreaker.ConfigBuilder;

/**
 * Adjusts, in code, the configuration of a breaker that Spring Cloud CircuitBreaker asks for by id.
 * It starts from what {@code application.yml} says for that id (its own entry under
 * {@code retry.circuit-breakers}, else the {@code default} entry), so a {@code Customizer} states only
 * what it changes:
 *
 * <pre>{@code
 * @Bean
 * Customizer<RetryCircuitBreakerFactory> inventoryBreaker() {
 *     return factory -> factory.configure(
 *             breaker -> breaker.failureRateThreshold(25).openDuration(Duration.ofSeconds(5)), "inventory");
 * }
 * }</pre>
 *
 * <p>Each option is checked as the core builder checks it, and may be set once per builder.
 */
public final class RetryCircuitBreakerConfigBuilder implements ConfigBuilder<CircuitBreakerConfig> {

    private final CircuitBreakerPolicyBuilder builder;

    RetryCircuitBreakerConfigBuilder(CircuitBreakerConfig base) {
        this.builder = CircuitBreakerPolicy.builder(base);
    }

    /** A window of the last {@code calls} calls. */
    public RetryCircuitBreakerConfigBuilder countWindow(int calls) {
        builder.countWindow(calls);
        return this;
    }

    /** A window of the calls of the last {@code seconds} seconds. */
    public RetryCircuitBreakerConfigBuilder timeWindow(int seconds) {
        builder.timeWindow(seconds);
        return this;
    }

    /** Calls the window must hold before a rate is judged. */
    public RetryCircuitBreakerConfigBuilder minimumCalls(int minimumCalls) {
        builder.minimumCalls(minimumCalls);
        return this;
    }

    /** The failure rate, in percent, at which the breaker opens. */
    public RetryCircuitBreakerConfigBuilder failureRateThreshold(float percent) {
        builder.failureRateThreshold(percent);
        return this;
    }

    /** How long a call may take before it counts as slow. */
    public RetryCircuitBreakerConfigBuilder slowCallDuration(Duration duration) {
        builder.slowCallDuration(duration);
        return this;
    }

    /** The slow-call rate, in percent, at which the breaker opens. */
    public RetryCircuitBreakerConfigBuilder slowCallRateThreshold(float percent) {
        builder.slowCallRateThreshold(percent);
        return this;
    }

    /** How long the breaker stays open before it lets trial calls through. */
    public RetryCircuitBreakerConfigBuilder openDuration(Duration duration) {
        builder.openDuration(duration);
        return this;
    }

    /** Trial calls a half-open breaker lets through. */
    public RetryCircuitBreakerConfigBuilder halfOpenCalls(int halfOpenCalls) {
        builder.halfOpenCalls(halfOpenCalls);
        return this;
    }

    /** Any other option of the core's builder (failure types to record or ignore, say). */
    public RetryCircuitBreakerConfigBuilder core(Consumer<CircuitBreakerPolicyBuilder> changes) {
        changes.accept(builder);
        return this;
    }

    @Override
    public CircuitBreakerConfig build() {
        return builder.buildConfig();
    }
}
