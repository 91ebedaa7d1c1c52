package dev.retry.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitOpenException;
import dev.retry.core.FallbackPolicy;
import dev.retry.core.RetryPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The contract's meters, read off a SimpleMeterRegistry after real calls. */
class RetryMetricsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RetryMetrics metrics = new RetryMetrics(registry);

    /** Summed over the tags not given, such as {@code exception}. */
    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    @Test
    void retryMetersAreThereFromTheStartAndCountOutcomesRetriesAndAttemptsPerCall() throws IOException {
        RetryPolicy policy = RetryPolicy.builder()
                .name("inventory")
                .delay(Duration.ZERO)
                .maxAttempts(3)
                .abortOn(IllegalArgumentException.class)
                .listener(metrics.retryListener("inventory"))
                .build();
        metrics.bindRetryPolicy("inventory", policy);
        assertThat(counter("retry.calls", "name", "inventory", "outcome", "failure_after_retry"))
                .isZero();

        policy.call(() -> "first time");
        AtomicInteger attempts = new AtomicInteger();
        policy.call(() -> {
            if (attempts.incrementAndGet() < 2) {
                throw new IOException("once");
            }
            return "second time";
        });
        assertThatThrownBy(() -> policy.call(() -> {
                    throw new IOException("always");
                }))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> policy.call(() -> {
                    throw new IllegalArgumentException("not retryable");
                }))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(counter("retry.calls", "name", "inventory", "outcome", "success"))
                .isEqualTo(1);
        assertThat(counter("retry.calls", "name", "inventory", "outcome", "success_after_retry"))
                .isEqualTo(1);
        assertThat(counter("retry.calls", "name", "inventory", "outcome", "failure_after_retry"))
                .isEqualTo(1);
        assertThat(counter("retry.calls", "name", "inventory", "outcome", "failure"))
                .isEqualTo(1);
        assertThat(counter("retry.attempts", "name", "inventory")).isEqualTo(3);
        assertThat(counter("retry.attempts", "name", "inventory", "exception", "IOException"))
                .isEqualTo(3);
        assertThat(counter("retry.calls", "name", "inventory", "outcome", "success", "exception", "none"))
                .isEqualTo(1);
        assertThat(counter(
                        "retry.calls",
                        "name",
                        "inventory",
                        "outcome",
                        "failure_after_retry",
                        "exception",
                        "IOException"))
                .isEqualTo(1);
        assertThat(counter(
                        "retry.calls",
                        "name",
                        "inventory",
                        "outcome",
                        "failure",
                        "exception",
                        "IllegalArgumentException"))
                .isEqualTo(1);
        assertThat(registry.find("retry.calls")
                        .tags("exception", "RuntimeException")
                        .counters())
                .as("one counter per class thrown, no more")
                .isEmpty();
        assertThat(registry.get("retry.call.attempts")
                        .tags("name", "inventory")
                        .summary()
                        .count())
                .isEqualTo(4);
        assertThat(registry.get("retry.call.attempts")
                        .tags("name", "inventory")
                        .summary()
                        .totalAmount())
                .isEqualTo(7);
        assertThat(registry.get("retry.attempts.limit")
                        .tags("name", "inventory")
                        .gauge()
                        .value())
                .isEqualTo(3);
    }

    @Test
    void aBudgetRefusalIsCounted() {
        RetryPolicy policy = RetryPolicy.builder()
                .name("tight")
                .delay(Duration.ZERO)
                .budget(0.1, 0)
                .listener(metrics.retryListener("tight"))
                .build();
        assertThatThrownBy(() -> policy.call(() -> {
                    throw new IOException("down");
                }))
                .isInstanceOf(IOException.class);
        assertThat(counter("retry.budget.exhausted", "name", "tight")).isEqualTo(1);
    }

    @Test
    void breakerMetersTimeCallsCountRefusalsAndTransitionsAndShowTheState() {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("payments")
                .minimumCalls(2)
                .listener(metrics.circuitBreakerListener("payments"))
                .build();
        metrics.bindCircuitBreaker(breaker);
        assertThat(registry.get("circuitbreaker.state")
                        .tags("name", "payments", "state", "CLOSED")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get("circuitbreaker.failure.rate")
                        .tags("name", "payments")
                        .gauge()
                        .value())
                .isEqualTo(-1);

        breaker.call(() -> "ok");
        assertThatThrownBy(() -> breaker.call(() -> {
                    throw new IOException("down");
                }))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> breaker.call(() -> "refused")).isInstanceOf(CircuitOpenException.class);

        assertThat(registry.get("circuitbreaker.calls")
                        .tags("name", "payments", "outcome", "success")
                        .functionTimer()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get("circuitbreaker.calls")
                        .tags("name", "payments", "outcome", "failure")
                        .functionTimer()
                        .count())
                .isEqualTo(1.0);
        assertThat(counter("circuitbreaker.rejected", "name", "payments")).isEqualTo(1);
        assertThat(counter("circuitbreaker.transitions", "name", "payments", "from", "CLOSED", "to", "OPEN"))
                .isEqualTo(1);
        assertThat(registry.get("circuitbreaker.state")
                        .tags("name", "payments", "state", "OPEN")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get("circuitbreaker.state")
                        .tags("name", "payments", "state", "CLOSED")
                        .gauge()
                        .value())
                .isZero();
        assertThat(registry.get("circuitbreaker.failure.rate")
                        .tags("name", "payments")
                        .gauge()
                        .value())
                .isEqualTo(50);
    }

    @Test
    void fallbacksAreCountedByTheSimpleNameOfWhatTheyAnswered() {
        FallbackPolicy fallback = FallbackPolicy.builder()
                .name("Prices.price(String)")
                .on(Exception.class, (failure, argument) -> "cached")
                .listener(metrics.fallbackListener())
                .build();
        fallback.call(() -> {
            throw new IllegalStateException("down");
        });
        assertThat(counter("fallback.calls", "name", "Prices.price(String)", "exception", "IllegalStateException"))
                .isEqualTo(1);
    }
}
