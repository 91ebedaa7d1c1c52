package dev.retry.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Retryable;
import dev.retry.core.CircuitState;
import dev.retry.spring.config.InvalidRetryConfigurationException;
import dev.retry.spring.registry.ConfigChange;
import dev.retry.spring.registry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Changes while running that Spring Boot itself cannot bind, or that name a mode the running
 * application cannot take, through both paths a change arrives by: Spring Cloud's {@link
 * EnvironmentChangeEvent} and the registry's own method. Each is refused with the start-up's
 * message, nothing escapes to the caller of the change, the calls go on as before with the breaker
 * in the state it had, and a valid change afterwards applies.
 */
class HostileReconfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RetryAutoConfiguration.class,
                    RetryRefreshAutoConfiguration.class,
                    RetryMetricsAutoConfiguration.class,
                    TaskExecutionAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean(Orders.class)
            .withPropertyValues(
                    "retry.policies.default.delay=0ms",
                    "retry.policies.orders.max-attempts=2",
                    "retry.circuit-breakers.orders.minimum-calls=5");

    /** Bad values that Spring Boot refuses while binding, before any of retry's own checks. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "retry.policies.orders.budget=0.1",
                "retry.strict-names=maybe",
                "retry.fail-on-unknown-keys=maybe",
                "retry.mode=weave",
                "retry.health.down-when-open=maybe"
            })
    void aValueBootCannotBindIsRefusedInTheStartUpsWordsByTheRegistry(String value) {
        String startUpMessage = startUpFailure(value);
        runner.run(context -> {
            theBreakerForcedOpen(context);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            int metersBefore = meters.getMeters().size();
            change(context, value);

            ConfigChange outcome = reconfigure(context);

            assertThat(outcome.outcome()).isEqualTo(ConfigChange.Outcome.REFUSED);
            assertThat(outcome.message()).isEqualTo(startUpMessage).contains(value.substring(0, value.indexOf('=')));
            assertThat(meters.getMeters()).as("no meter added or removed").hasSize(metersBefore);
            assertNothingChanged(context);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"retry.policies.orders.budget=0.1", "retry.strict-names=maybe", "retry.mode=weave"})
    void aValueBootCannotBindIsRefusedInTheStartUpsWordsOnSpringCloudsEventAndNothingEscapes(String value) {
        String startUpMessage = startUpFailure(value);
        runner.run(context -> {
            theBreakerForcedOpen(context);
            change(context, value);

            // Published as Spring Cloud's ContextRefresher does: whatever escapes fails /actuator/refresh.
            context.publishEvent(new EnvironmentChangeEvent(context, Set.of(value.substring(0, value.indexOf('=')))));

            ConfigChange outcome =
                    context.getBean(RetryRegistry.class).lastChange().orElseThrow();
            assertThat(outcome.outcome()).isEqualTo(ConfigChange.Outcome.REFUSED);
            assertThat(outcome.message()).isEqualTo(startUpMessage);
            assertNothingChanged(context);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"aspectj", "AspectJ"})
    void anotherModeWhileRunningIsRefusedSinceTheBeansAreAlreadyProxied(String mode) {
        runner.run(context -> {
            theBreakerForcedOpen(context);
            change(context, "retry.mode=" + mode);

            ConfigChange outcome = reconfigure(context);

            assertThat(outcome.outcome()).isEqualTo(ConfigChange.Outcome.REFUSED);
            assertThat(outcome.message())
                    .isEqualTo("Invalid retry configuration: retry.mode was 'aspectj', but it must be proxy, the mode"
                            + " the application started with: who intercepts the annotated methods is settled at"
                            + " start-up");
            assertNothingChanged(context);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"retry.policies.orders.budget=0.1", "retry.mode=weave"})
    void aValidChangeAfterARefusedOneApplies(String invalid) {
        runner.run(context -> {
            theBreakerForcedOpen(context);
            change(context, invalid);
            assertThat(reconfigure(context).outcome()).isEqualTo(ConfigChange.Outcome.REFUSED);

            change(context, "retry.policies.orders.max-attempts=3");
            ConfigChange outcome = reconfigure(context);

            assertThat(outcome.outcome()).isEqualTo(ConfigChange.Outcome.APPLIED);
            RetryRegistry registry = context.getBean(RetryRegistry.class);
            assertThat(registry.circuitBreakers().get("orders").state()).isEqualTo(CircuitState.FORCED_OPEN);
            registry.circuitBreakers().get("orders").transitionTo(CircuitState.CLOSED);
            Orders orders = context.getBean(Orders.class);
            orders.failing();
            assertThatThrownBy(orders::place).isInstanceOf(IOException.class);
            assertThat(orders.attempts()).isEqualTo(3);
        });
    }

    /** A breaker in a state it never starts in, so that "kept its state" cannot pass by accident. */
    private static void theBreakerForcedOpen(ConfigurableApplicationContext context) {
        context.getBean(RetryRegistry.class).circuitBreakers().get("orders").transitionTo(CircuitState.FORCED_OPEN);
    }

    private static void assertNothingChanged(ConfigurableApplicationContext context) {
        RetryRegistry registry = context.getBean(RetryRegistry.class);
        assertThat(registry.circuitBreakers().get("orders").state()).isEqualTo(CircuitState.FORCED_OPEN);
        assertThat(registry.retryPolicies().get("orders").config().maxAttempts())
                .isEqualTo(2);
        assertThat(registry.strictNames()).isTrue();
        registry.circuitBreakers().get("orders").transitionTo(CircuitState.CLOSED);
        Orders orders = context.getBean(Orders.class);
        orders.failing();
        assertThatThrownBy(orders::place).isInstanceOf(IOException.class);
        assertThat(orders.attempts())
                .as("the policy the application started with")
                .isEqualTo(2);
        orders.reset();
    }

    /** Writes {@code values} over everything the context was started with, as a refreshed source would. */
    private static void change(ConfigurableApplicationContext context, String... values) {
        Map<String, Object> changed = new LinkedHashMap<>();
        for (String value : values) {
            int equals = value.indexOf('=');
            changed.put(value.substring(0, equals), value.substring(equals + 1));
        }
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("changed", changed));
    }

    private static ConfigChange reconfigure(ConfigurableApplicationContext context) {
        return context.getBean(RetryRegistry.class).reconfigure(context.getEnvironment(), context.getClassLoader());
    }

    /** The message a start-up with {@code values} fails with. */
    private String startUpFailure(String... values) {
        String[] message = new String[1];
        runner.withPropertyValues(values).run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            while (cause != null && !(cause instanceof InvalidRetryConfigurationException)) {
                cause = cause.getCause();
            }
            assertThat(cause)
                    .as("the start-up with %s fails with retry's own message", Arrays.toString(values))
                    .isNotNull();
            message[0] = cause.getMessage();
        });
        return message[0];
    }

    @Retryable("orders")
    @CircuitBreaker("orders")
    static class Orders {

        private final AtomicInteger attempts = new AtomicInteger();
        private volatile boolean failing;

        void failing() {
            failing = true;
        }

        void reset() {
            attempts.set(0);
            failing = false;
        }

        int attempts() {
            return attempts.get();
        }

        public String place() throws IOException {
            attempts.incrementAndGet();
            if (failing) {
                throw new IOException("down");
            }
            return "placed";
        }
    }
}
