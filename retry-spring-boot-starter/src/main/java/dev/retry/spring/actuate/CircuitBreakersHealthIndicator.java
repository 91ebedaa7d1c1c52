package dev.retry.spring.actuate;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitBreakerSnapshot;
import dev.retry.core.CircuitState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Each circuit breaker's state and counts as health details.
 *
 * <p>UP by default, whatever the breakers' states: an open breaker is the application protecting
 * itself from a dependency, and a load balancer that took the instance out of service for it would
 * turn one sick dependency into an outage of every instance. With {@code
 * retry.health.down-when-open=true} an open (or forced-open) breaker reports DOWN, for those who want
 * exactly that.
 */
public class CircuitBreakersHealthIndicator implements HealthIndicator {

    private final Supplier<Map<String, CircuitBreakerPolicy>> breakers;
    private final BooleanSupplier downWhenOpen;

    public CircuitBreakersHealthIndicator(Supplier<Map<String, CircuitBreakerPolicy>> breakers, boolean downWhenOpen) {
        this(breakers, () -> downWhenOpen);
    }

    /**
     * @param downWhenOpen asked at every health check, so that a change of {@code
     *     retry.health.down-when-open} while the application runs is followed
     */
    public CircuitBreakersHealthIndicator(
            Supplier<Map<String, CircuitBreakerPolicy>> breakers, BooleanSupplier downWhenOpen) {
        this.breakers = breakers;
        this.downWhenOpen = downWhenOpen;
    }

    @Override
    public Health health() {
        boolean anyOpen = false;
        Map<String, Object> details = new LinkedHashMap<>();
        for (Map.Entry<String, CircuitBreakerPolicy> entry : breakers.get().entrySet()) {
            CircuitBreakerSnapshot snapshot = entry.getValue().snapshot();
            anyOpen |= snapshot.state() == CircuitState.OPEN || snapshot.state() == CircuitState.FORCED_OPEN;
            details.put(entry.getKey(), CircuitBreakersEndpoint.CircuitBreakerDescriptor.of(snapshot));
        }
        Health.Builder health = anyOpen && downWhenOpen.getAsBoolean() ? Health.down() : Health.up();
        return health.withDetails(details).build();
    }
}
