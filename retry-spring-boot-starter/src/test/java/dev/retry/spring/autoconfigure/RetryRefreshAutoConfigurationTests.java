package dev.retry.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.core.RetryPolicy;
import dev.retry.spring.autoconfigure.RetryReconfigurationTests.Inventory;
import dev.retry.spring.registry.ConfigChange;
import dev.retry.spring.registry.RetryRegistry;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Spring Cloud's announcement of a changed environment reaches the live policies when {@code
 * spring-cloud-context} is on the class path, and nothing of Spring Cloud is needed without it.
 */
class RetryRefreshAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class, RetryRefreshAutoConfiguration.class))
            .withBean(Inventory.class)
            .withPropertyValues(
                    "retry.policies.default.delay=0ms",
                    "retry.policies.inventory.max-attempts=2",
                    "retry.circuit-breakers.inventory.minimum-calls=50",
                    "retry.bulkheads.inventory.max-concurrent-calls=3");

    /** What {@code /actuator/refresh} does: a property source changes, then the keys it changed are announced. */
    private static void refresh(ConfigurableApplicationContext context, String key, String value) {
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("refreshed", Map.of(key, value)));
        context.publishEvent(new EnvironmentChangeEvent(context, Set.of(key)));
    }

    private static int attemptsOfAFailingCall(Inventory inventory) {
        inventory.reset();
        inventory.failingTimes(10);
        assertThatThrownBy(inventory::stock).isInstanceOf(IOException.class);
        return inventory.attempts();
    }

    private static int attemptsOfAFailingCall(RetryPolicy policy) {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> policy.run(() -> {
                    attempts.incrementAndGet();
                    throw new IOException("down");
                }))
                .isInstanceOf(IOException.class);
        return attempts.get();
    }

    @Test
    void aChangedRetryKeyReachesTheNextCalls() {
        runner.run(context -> {
            Inventory inventory = context.getBean(Inventory.class);
            assertThat(attemptsOfAFailingCall(inventory)).isEqualTo(2);

            refresh(context, "retry.policies.inventory.max-attempts", "4");

            assertThat(attemptsOfAFailingCall(inventory)).isEqualTo(4);
            assertThat(context.getBean(RetryRegistry.class).lastChange())
                    .get()
                    .extracting(ConfigChange::outcome)
                    .isEqualTo(ConfigChange.Outcome.APPLIED);
        });
    }

    @Test
    void aChangeThatTouchesNoRetryKeyLeavesThePoliciesAlone() {
        runner.run(context -> {
            refresh(context, "server.port", "8081");

            assertThat(context.getBean(RetryRegistry.class).lastChange()).isEmpty();
        });
    }

    @Test
    void aBadValueIsRefusedAndTheApplicationRunsOnAsBefore() {
        runner.run(context -> {
            Inventory inventory = context.getBean(Inventory.class);

            refresh(context, "retry.bulkheads.inventory.max-concurrent-calls", "0");

            ConfigChange change =
                    context.getBean(RetryRegistry.class).lastChange().orElseThrow();
            assertThat(change.outcome()).isEqualTo(ConfigChange.Outcome.REFUSED);
            assertThat(change.message()).contains("retry.bulkheads.inventory.max-concurrent-calls", "0", "at least 1");
            assertThat(context.getBean(RetryRegistry.class)
                            .bulkheads()
                            .get("inventory")
                            .availablePermits())
                    .isEqualTo(3);
            assertThat(attemptsOfAFailingCall(inventory)).isEqualTo(2);
        });
    }

    @Test
    void withoutSpringCloudNothingListensAndTheRegistrysOwnMethodStillChangesTheCalls() {
        // Without the annotated bean: a class generated under the filtering class loader cannot
        // subclass a test's nested class, so the calls go through the registry's policy itself.
        new ApplicationContextRunner()
                .withConfiguration(
                        AutoConfigurations.of(RetryAutoConfiguration.class, RetryRefreshAutoConfiguration.class))
                .withPropertyValues("retry.policies.default.delay=0ms", "retry.policies.inventory.max-attempts=2")
                .withClassLoader(new FilteredClassLoader(EnvironmentChangeEvent.class))
                .run(context -> {
                    assertThat(context)
                            .hasNotFailed()
                            .doesNotHaveBean(RetryRefreshAutoConfiguration.RetryConfigurationRefresher.class);
                    RetryPolicy inventory =
                            context.getBean(RetryRegistry.class).retryPolicies().get("inventory");
                    assertThat(attemptsOfAFailingCall(inventory)).isEqualTo(2);

                    context.getEnvironment()
                            .getPropertySources()
                            .addFirst(new MapPropertySource(
                                    "changed", Map.of("retry.policies.inventory.max-attempts", "3")));
                    ConfigChange change = context.getBean(RetryRegistry.class)
                            .reconfigure(context.getEnvironment(), context.getClassLoader());

                    assertThat(change.outcome()).isEqualTo(ConfigChange.Outcome.APPLIED);
                    assertThat(attemptsOfAFailingCall(inventory)).isEqualTo(3);
                });
    }
}
