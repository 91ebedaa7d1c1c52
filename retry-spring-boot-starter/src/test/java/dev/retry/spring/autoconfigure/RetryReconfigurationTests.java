package dev.retry.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Retryable;
import dev.retry.core.CircuitState;
import dev.retry.spring.actuate.RetryConfigEndpoint;
import dev.retry.spring.registry.ConfigChange;
import dev.retry.spring.registry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code retry.*} changed while the application runs, through the registry's own method (what the
 * Spring Cloud integration calls, and what anyone else may): a valid change reaches the next calls
 * of the annotated beans in place, an invalid one changes nothing and says why in the start-up's
 * words.
 */
@ExtendWith(OutputCaptureExtension.class)
class RetryReconfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RetryAutoConfiguration.class,
                    RetryMetricsAutoConfiguration.class,
                    TaskExecutionAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean(Inventory.class)
            .withPropertyValues(
                    "retry.policies.default.delay=0ms",
                    "retry.policies.inventory.max-attempts=2",
                    "retry.circuit-breakers.inventory.minimum-calls=50",
                    "retry.circuit-breakers.inventory.window-size=100",
                    "retry.bulkheads.inventory.max-concurrent-calls=3");

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

    @Test
    void aValidChangeReachesTheNextCallsOfTheAnnotatedMethods() {
        runner.run(context -> {
            Inventory inventory = context.getBean(Inventory.class);
            inventory.failingTimes(10);
            assertThatThrownBy(inventory::stock).isInstanceOf(IOException.class);
            assertThat(inventory.attempts()).isEqualTo(2);

            change(context, "retry.policies.inventory.max-attempts=4");
            ConfigChange outcome = reconfigure(context);

            assertThat(outcome.outcome()).isEqualTo(ConfigChange.Outcome.APPLIED);
            inventory.reset();
            assertThatThrownBy(inventory::stock).isInstanceOf(IOException.class);
            assertThat(inventory.attempts()).isEqualTo(4);
        });
    }

    @Test
    void anAnnotationsInlineValueIsBuiltAgainOnTopOfTheNewYaml() {
        runner.run(context -> {
            RetryRegistry registry = context.getBean(RetryRegistry.class);
            Inventory inventory = context.getBean(Inventory.class);
            inventory.failingTimes(10);
            assertThatThrownBy(inventory::reserve).isInstanceOf(IOException.class);
            assertThat(inventory.attempts()).isEqualTo(5); // the inline maxAttempts

            change(
                    context,
                    "retry.policies.inventory.max-attempts=1",
                    "retry.policies.inventory.delay=0ms",
                    "retry.policies.inventory.multiplier=3");
            reconfigure(context);

            assertThat(registry.retryPolicyVariants()
                            .get("inventory @Retryable(maxAttempts=5)")
                            .config())
                    .satisfies(config -> {
                        assertThat(config.maxAttempts()).isEqualTo(5);
                        assertThat(config.multiplier()).isEqualTo(3.0);
                    });
            inventory.reset();
            assertThatThrownBy(inventory::reserve).isInstanceOf(IOException.class);
            assertThat(inventory.attempts()).isEqualTo(5);
        });
    }

    @Test
    void anOpenBreakerStaysOpenAndABulkheadTakesItsNewLimit() {
        runner.run(context -> {
            RetryRegistry registry = context.getBean(RetryRegistry.class);
            registry.circuitBreakers().get("inventory").transitionTo(CircuitState.OPEN);

            change(
                    context,
                    "retry.circuit-breakers.inventory.failure-rate-threshold=80",
                    "retry.bulkheads.inventory.max-concurrent-calls=7");
            reconfigure(context);

            assertThat(registry.circuitBreakers().get("inventory").state()).isEqualTo(CircuitState.OPEN);
            assertThat(registry.circuitBreakers().get("inventory").config().failureRateThreshold())
                    .isEqualTo(80f);
            assertThat(registry.bulkheads().get("inventory").availablePermits()).isEqualTo(7);
        });
    }

    @Test
    void aNewlyNamedEntryGetsItsMetersOnceAndTheOthersKeepTheirs() {
        runner.run(context -> {
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            int inventoryGauges = meters.find("circuitbreaker.state")
                    .tag("name", "inventory")
                    .gauges()
                    .size();

            change(context, "retry.circuit-breakers.payments.window-size=50", "retry.policies.payments.max-attempts=6");
            ConfigChange outcome = reconfigure(context);
            reconfigure(context); // the same configuration again changes nothing more

            assertThat(outcome.message()).contains("retry.circuit-breakers.payments", "retry.policies.payments");
            assertThat(meters.find("circuitbreaker.state")
                            .tag("name", "inventory")
                            .gauges())
                    .hasSize(inventoryGauges);
            assertThat(meters.find("circuitbreaker.state")
                            .tag("name", "payments")
                            .gauges())
                    .hasSize(inventoryGauges);
            assertThat(meters.find("retry.attempts.limit")
                            .tag("name", "payments")
                            .gauge()
                            .value())
                    .isEqualTo(6.0);
            Map<String, Map<String, Object>> shown = new RetryConfigEndpoint(context.getBean(RetryRegistry.class))
                    .retryConfig()
                    .circuitBreakers();
            assertThat(shown.get("payments")).containsEntry("window-size", 50);
        });
    }

    @Test
    void anInvalidChangeChangesNothingAndIsRefusedInTheStartUpsWords(CapturedOutput output) {
        String startUpMessage = startUpFailure("retry.policies.inventory.max-attempts=0");
        runner.run(context -> {
            RetryRegistry registry = context.getBean(RetryRegistry.class);

            change(
                    context,
                    "retry.policies.inventory.max-attempts=0",
                    "retry.bulkheads.inventory.max-concurrent-calls=9");
            ConfigChange outcome = reconfigure(context);

            assertThat(outcome.outcome()).isEqualTo(ConfigChange.Outcome.REFUSED);
            assertThat(outcome.message())
                    .isEqualTo(startUpMessage)
                    .contains("retry.policies.inventory.max-attempts", "0", "at least 1");
            assertThat(registry.retryPolicies().get("inventory").config().maxAttempts())
                    .isEqualTo(2);
            assertThat(registry.bulkheads().get("inventory").availablePermits()).isEqualTo(3);
            assertThat(output).containsOnlyOnce(startUpMessage);
            Map<String, Object> lastChange =
                    new RetryConfigEndpoint(registry).retryConfig().lastChange();
            assertThat(lastChange)
                    .containsEntry("outcome", "refused")
                    .containsEntry("message", startUpMessage)
                    .containsKey("time");

            Inventory inventory = context.getBean(Inventory.class);
            inventory.failingTimes(10);
            assertThatThrownBy(inventory::stock).isInstanceOf(IOException.class);
            assertThat(inventory.attempts()).isEqualTo(2); // the application runs on as before
        });
    }

    @Test
    void valuesThatAreNotEvenOfTheKeysTypeInTwoEntriesAreRefusedTogetherInTheStartUpsWords() {
        String[] values = {"retry.policies.inventory.max-attempts=three", "retry.bulkheads.inventory.max-wait=soon"};
        String startUpMessage = startUpFailure(values);
        runner.run(context -> {
            RetryRegistry registry = context.getBean(RetryRegistry.class);

            change(context, values);
            ConfigChange outcome = reconfigure(context);

            assertThat(outcome.outcome()).isEqualTo(ConfigChange.Outcome.REFUSED);
            assertThat(outcome.message())
                    .isEqualTo(startUpMessage)
                    .contains(
                            "retry.policies.inventory.max-attempts was 'three'",
                            "retry.bulkheads.inventory.max-wait was 'soon'");
            assertThat(registry.retryPolicies().get("inventory").config().maxAttempts())
                    .isEqualTo(2);
        });
    }

    /** The message a start-up with {@code values} fails with. */
    private String startUpFailure(String... values) {
        String[] message = new String[1];
        runner.withPropertyValues(values).run(context -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            while (!(cause instanceof dev.retry.spring.config.InvalidRetryConfigurationException)) {
                cause = cause.getCause();
            }
            message[0] = cause.getMessage();
        });
        return message[0];
    }

    @Retryable("inventory")
    @CircuitBreaker("inventory")
    @Bulkhead("inventory")
    static class Inventory {

        private final AtomicInteger attempts = new AtomicInteger();
        private volatile int failures;

        void failingTimes(int times) {
            failures = times;
        }

        void reset() {
            attempts.set(0);
        }

        int attempts() {
            return attempts.get();
        }

        public String stock() throws IOException {
            if (attempts.incrementAndGet() <= failures) {
                throw new IOException("down");
            }
            return "12";
        }

        @Retryable(value = "inventory", maxAttempts = 5)
        public String reserve() throws IOException {
            return stock();
        }
    }
}
