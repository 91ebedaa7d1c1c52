package dev.retry.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.retry.core.CircuitBreakerConfig.WindowType;

/**
 * A circuit breaker's configuration as it applies: every key of {@code retry.circuit-breakers.<name>}
 * resolved, unset ones inherited from {@code retry.circuit-breakers.default} and then from the
 * built-in defaults, and checked.
 *
 * @param name the breaker's name, as written under {@code retry.circuit-breakers}
 * @param window whether the window counts calls or seconds
 * @param windowSize calls or seconds in the window: 1 to 1000000
 * @param minimumCalls calls the window must hold before any rate is judged: at least 1
 * @param failureRateThreshold percent of failures that opens the breaker: above 0, at most 100
 * @param slowCallDuration calls at least this long are slow: more than zero
 * @param slowCallRateThreshold percent of slow calls that opens the breaker: above 0, at most 100
 * @param openDuration how long the breaker stays open: more than zero
 * @param halfOpenCalls trial calls let through while half-open: at least 1
 * @param recordOn failures that count; empty means every {@link Exception}
 * @param ignoreOn failures counted neither way
 */
public record EffectiveCircuitBreaker(
        String name,
        WindowType window,
        int windowSize,
        int minimumCalls,
        float failureRateThreshold,
        Duration slowCallDuration,
        float slowCallRateThreshold,
        Duration openDuration,
        int halfOpenCalls,
        List<Class<? extends Throwable>> recordOn,
        List<Class<? extends Throwable>> ignoreOn) {

    public EffectiveCircuitBreaker {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(slowCallDuration, "slowCallDuration");
        Objects.requireNonNull(openDuration, "openDuration");
        recordOn = List.copyOf(recordOn);
        ignoreOn = List.copyOf(ignoreOn);
    }
}
