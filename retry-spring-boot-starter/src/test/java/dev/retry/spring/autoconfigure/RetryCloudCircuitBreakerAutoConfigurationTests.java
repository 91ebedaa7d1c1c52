package dev.retry.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitOpenException;
import dev.retry.core.CircuitState;
import dev.retry.spring.cloud.RetryCircuitBreakerFactory;
import dev.retry.spring.cloud.RetryReactiveCircuitBreakerFactory;
import dev.retry.spring.registry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.ConfigBuilder;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Spring Cloud CircuitBreaker's factories, backed by the breakers of {@code retry.circuit-breakers}. */
class RetryCloudCircuitBreakerAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RetryAutoConfiguration.class,
                    RetryMetricsAutoConfiguration.class,
                    RetryCloudCircuitBreakerAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues(
                    "retry.circuit-breakers.default.window-size=20",
                    "retry.circuit-breakers.inventory.window-size=4",
                    "retry.circuit-breakers.inventory.minimum-calls=4",
                    "retry.circuit-breakers.inventory.open-duration=1h");

    @Test
    void aConfiguredIdIsTheBreakerOfThatNameThatTheMetersAndTheEndpointShow() {
        runner.run(context -> {
            CircuitBreakerFactory<?, ?> factory = context.getBean(CircuitBreakerFactory.class);
            CircuitBreakerPolicy inventory =
                    context.getBean(RetryRegistry.class).circuitBreakers().get("inventory");
            CircuitBreaker breaker = factory.create("inventory");
            for (int i = 0; i < 4; i++) {
                assertThat(breaker.<String>run(
                                () -> {
                                    throw new IllegalStateException("down");
                                },
                                failure ->
                                        "fallback after " + failure.getClass().getSimpleName()))
                        .isEqualTo("fallback after IllegalStateException");
            }
            assertThat(inventory.state())
                    .as("four failures of four calls open retry.circuit-breakers.inventory")
                    .isEqualTo(CircuitState.OPEN);
            AtomicReference<Throwable> refusal = new AtomicReference<>();
            assertThat(breaker.run(() -> "not called", failure -> {
                        refusal.set(failure);
                        return "refused";
                    }))
                    .isEqualTo("refused");
            assertThat(refusal.get()).isInstanceOf(CircuitOpenException.class);
            assertThat(context.getBean(MeterRegistry.class)
                            .get("circuitbreaker.rejected")
                            .tag("name", "inventory")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
            assertThat(factory.create("inventory")).isSameAs(breaker);
        });
    }

    @Test
    void anIdNotInYamlGetsABreakerOfItsOwnWithTheDefaultEntrysConfiguration() {
        runner.run(context -> {
            RetryRegistry registry = context.getBean(RetryRegistry.class);
            assertThat(context.getBean(CircuitBreakerFactory.class)
                            .create("payments")
                            .run(() -> "paid"))
                    .isEqualTo("paid");
            CircuitBreakerPolicy payments = registry.circuitBreakers().get("payments");
            assertThat(payments)
                    .isNotNull()
                    .isNotSameAs(registry.circuitBreakers().get("default"));
            assertThat(payments.config().windowSize()).isEqualTo(20);
            assertThat(context.getBean(MeterRegistry.class)
                            .find("circuitbreaker.state")
                            .tag("name", "payments")
                            .gauges())
                    .isNotEmpty();
        });
    }

    @Test
    void aCustomizerAdjustsABreakerInCodeStartingFromWhatYamlSays() {
        runner.withUserConfiguration(InventoryInCode.class).run(context -> {
            context.getBean(CircuitBreakerFactory.class).create("inventory");
            CircuitBreakerPolicy inventory =
                    context.getBean(RetryRegistry.class).circuitBreakers().get("inventory");
            assertThat(inventory.config().failureRateThreshold()).isEqualTo(75f);
            assertThat(inventory.config().openDuration()).isEqualTo(Duration.ofSeconds(5));
            assertThat(inventory.config().windowSize())
                    .as("what the customizer left alone stays as YAML says")
                    .isEqualTo(4);
        });
    }

    @Test
    void configureDefaultShapesEveryIdYamlDoesNotNameAndLeavesNamedOnesAlone() {
        runner.run(context -> {
            RetryCircuitBreakerFactory factory = context.getBean(RetryCircuitBreakerFactory.class);
            factory.configureDefault(
                    id -> factory.configBuilder(id).countWindow(50).build());
            factory.create("payments");
            factory.create("inventory");
            RetryRegistry registry = context.getBean(RetryRegistry.class);
            assertThat(registry.circuitBreakers().get("payments").config().windowSize())
                    .isEqualTo(50);
            assertThat(registry.circuitBreakers().get("inventory").config().windowSize())
                    .isEqualTo(4);
        });
    }

    @Test
    void theReactiveFactoryRunsEachSubscriptionAsOneCallOfTheSameBreaker() {
        runner.run(context -> {
            ReactiveCircuitBreakerFactory<?, ?> factory = context.getBean(ReactiveCircuitBreakerFactory.class);
            assertThat(factory).isInstanceOf(RetryReactiveCircuitBreakerFactory.class);
            assertThat(factory.create("inventory").run(Mono.just("stock")).block())
                    .isEqualTo("stock");
            assertThat(factory.create("inventory")
                            .run(Flux.just(1, 2, 3))
                            .collectList()
                            .block())
                    .containsExactly(1, 2, 3);
            Mono<String> failing = Mono.error(new IllegalStateException("down"));
            for (int i = 0; i < 4; i++) {
                assertThat(factory.create("inventory")
                                .run(failing, failure -> Mono.just("fallback"))
                                .block())
                        .isEqualTo("fallback");
            }
            assertThat(context.getBean(RetryRegistry.class)
                            .circuitBreakers()
                            .get("inventory")
                            .state())
                    .as("2 successes and 4 failures over a window of 4: the last four failed")
                    .isEqualTo(CircuitState.OPEN);
        });
    }

    @Test
    void anotherCircuitBreakerImplementationWinsWhenTheApplicationDefinesOne() {
        CircuitBreakerFactory<Object, ConfigBuilder<Object>> theirs = new CircuitBreakerFactory<>() {
            @Override
            public CircuitBreaker create(String id) {
                return new CircuitBreaker() {
                    @Override
                    public <T> T run(
                            java.util.function.Supplier<T> toRun, java.util.function.Function<Throwable, T> fallback) {
                        return toRun.get();
                    }
                };
            }

            @Override
            protected ConfigBuilder<Object> configBuilder(String id) {
                return () -> id;
            }

            @Override
            public void configureDefault(java.util.function.Function<String, Object> defaultConfiguration) {}
        };
        runner.withBean("theirs", CircuitBreakerFactory.class, () -> theirs)
                .run(context ->
                        assertThat(context).getBean(CircuitBreakerFactory.class).isSameAs(theirs));
    }

    @Test
    void withoutSpringCloudCommonsThereIsNoFactory() {
        runner.withClassLoader(new FilteredClassLoader(CircuitBreakerFactory.class))
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .doesNotHaveBean(RetryCircuitBreakerFactory.class)
                        .doesNotHaveBean(RetryReactiveCircuitBreakerFactory.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class InventoryInCode {

        @Bean
        Customizer<RetryCircuitBreakerFactory> inventoryInCode() {
            return factory -> factory.configure(
                    breaker -> breaker.failureRateThreshold(75).openDuration(Duration.ofSeconds(5)), "inventory");
        }
    }
}
