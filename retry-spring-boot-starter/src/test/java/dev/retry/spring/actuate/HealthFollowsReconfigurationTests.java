package dev.retry.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.CircuitState;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryEndpointAutoConfiguration;
import dev.retry.spring.registry.ConfigChange;
import dev.retry.spring.registry.RetryRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code retry.health.down-when-open} changed while the application runs: the {@code
 * circuitBreakers} health contributor follows a change the registry accepted, and keeps the last
 * good value when a change is refused, as every other key does.
 */
class HealthFollowsReconfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(RetryAutoConfiguration.class, RetryEndpointAutoConfiguration.class))
            .withPropertyValues("retry.circuit-breakers.orders.minimum-calls=5");

    @Test
    void anAcceptedChangeTakesTheContributorDownAndARefusedOneKeepsItThere() {
        runner.run(context -> {
            RetryRegistry registry = context.getBean(RetryRegistry.class);
            CircuitBreakersHealthIndicator health = context.getBean(CircuitBreakersHealthIndicator.class);
            registry.circuitBreakers().get("orders").transitionTo(CircuitState.FORCED_OPEN);
            assertThat(health.health().getStatus()).as("off by default").isEqualTo(Status.UP);

            assertThat(change(context, "true").outcome()).isEqualTo(ConfigChange.Outcome.APPLIED);
            assertThat(health.health().getStatus()).as("the accepted change").isEqualTo(Status.DOWN);

            ConfigChange refused = change(context, "maybe");
            assertThat(refused.outcome()).isEqualTo(ConfigChange.Outcome.REFUSED);
            assertThat(refused.message()).contains("retry.health.down-when-open", "maybe", "true or false");
            assertThat(health.health().getStatus())
                    .as("the refused change left the last good value in force")
                    .isEqualTo(Status.DOWN);

            assertThat(change(context, "false").outcome()).isEqualTo(ConfigChange.Outcome.APPLIED);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        });
    }

    /** Writes {@code value} over whatever was there, as a refreshed property source would, and reconfigures. */
    private static ConfigChange change(ConfigurableApplicationContext context, String value) {
        var sources = context.getEnvironment().getPropertySources();
        sources.remove("changed");
        sources.addFirst(new MapPropertySource("changed", Map.of("retry.health.down-when-open", value)));
        return context.getBean(RetryRegistry.class).reconfigure(context.getEnvironment(), context.getClassLoader());
    }
}
