package dev.retry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitState;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class CircuitBreakersHealthIndicatorTests {

    private final Map<String, CircuitBreakerPolicy> breakers = new TreeMap<>(Map.of(
            "inventory", CircuitBreakerPolicy.builder().name("inventory").build(),
            "payments", CircuitBreakerPolicy.builder().name("payments").build()));

    @Test
    void showsEveryBreakerAndStaysUpWhileOneIsOpenUnlessTheUserOptsIn() {
        breakers.get("payments").transitionTo(CircuitState.OPEN);
        Health health = new CircuitBreakersHealthIndicator(() -> breakers, false).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsOnlyKeys("inventory", "payments");
        assertThat(((CircuitBreakersEndpoint.CircuitBreakerDescriptor)
                                health.getDetails().get("payments"))
                        .state())
                .isEqualTo("OPEN");
    }

    @Test
    void optedInAnOpenOrForcedOpenBreakerReportsDown() {
        CircuitBreakersHealthIndicator indicator = new CircuitBreakersHealthIndicator(() -> breakers, true);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
        breakers.get("inventory").transitionTo(CircuitState.FORCED_OPEN);
        assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
        breakers.get("inventory").transitionTo(CircuitState.HALF_OPEN);
        assertThat(indicator.health().getStatus()).as("half-open is recovering").isEqualTo(Status.UP);
    }
}
