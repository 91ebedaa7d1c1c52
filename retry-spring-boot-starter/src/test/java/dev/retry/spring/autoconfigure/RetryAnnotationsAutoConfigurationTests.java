package dev.retry.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Fallback;
import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.core.CircuitOpenException;
import dev.retry.core.CircuitState;
import dev.retry.spring.actuate.CircuitBreakersEndpoint;
import dev.retry.spring.config.RetrySettings;
import dev.retry.spring.interceptor.RetryAnnotationFailureAnalyzer;
import dev.retry.spring.metrics.RetryMetrics;
import dev.retry.spring.registry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The annotations, the YAML and the registry meeting in an application context. */
class RetryAnnotationsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RetryAutoConfiguration.class,
                    RetryMetricsAutoConfiguration.class,
                    RetryEndpointAutoConfiguration.class,
                    EndpointAutoConfiguration.class))
            .withPropertyValues(
                    "retry.policies.default.delay=0ms",
                    "retry.policies.inventory.max-attempts=4",
                    "retry.circuit-breakers.payments.minimum-calls=2");

    static class Inventory {

        final AtomicInteger calls = new AtomicInteger();

        @Retryable("inventory")
        public String stock() throws IOException {
            calls.incrementAndGet();
            throw new IOException("inventory down");
        }

        @Retryable(maxAttempts = 2)
        public String quick() throws IOException {
            calls.incrementAndGet();
            throw new IOException("down");
        }

        @CircuitBreaker("payments")
        @Fallback("later")
        public String pay() throws IOException {
            throw new IOException("payments down");
        }

        String later(CircuitOpenException refused) {
            return "refused by " + refused.breaker();
        }

        String later(IOException failure) {
            return "failed: " + failure.getMessage();
        }
    }

    static class ZeroAttempts {

        @Retryable(maxAttempts = 0)
        public String stock() {
            return "x";
        }
    }

    static class TooManyHedges {

        @Hedged(maxHedges = 11)
        public String stock() {
            return "x";
        }
    }

    static class BadTimeout {

        @dev.retry.annotation.Timeout(duration = "soon")
        public String stock() {
            return "x";
        }
    }

    static class UnknownBulkhead {

        @dev.retry.annotation.Bulkhead("warehous")
        public String stock() {
            return "x";
        }
    }

    static class Misnamed {

        @Retryable("inventroy")
        public String stock() {
            return "x";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InventoryConfiguration {

        @Bean
        Inventory inventory() {
            return new Inventory();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class MeterRegistryConfiguration {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Test
    void anAnnotatedBeanIsRetriedAsItsNamedPolicySays() {
        runner.withUserConfiguration(InventoryConfiguration.class).run(context -> {
            Inventory inventory = context.getBean(Inventory.class);
            assertThatThrownBy(inventory::stock).isInstanceOf(IOException.class).hasMessage("inventory down");
            assertThat(org.springframework.test.util.AopTestUtils.<Inventory>getUltimateTargetObject(inventory).calls)
                    .hasValue(4);
        });
    }

    @Test
    void anInlineOverrideChangesOnlyThatMethod() {
        runner.withUserConfiguration(InventoryConfiguration.class).run(context -> {
            Inventory inventory = context.getBean(Inventory.class);
            assertThatThrownBy(inventory::quick).isInstanceOf(IOException.class);
            assertThat(org.springframework.test.util.AopTestUtils.<Inventory>getUltimateTargetObject(inventory).calls)
                    .hasValue(2);
        });
    }

    @Test
    void theFallbackAnswersBothTheFailureAndTheBreakersRefusal() {
        runner.withUserConfiguration(InventoryConfiguration.class).run(context -> {
            Inventory inventory = context.getBean(Inventory.class);
            assertThat(inventory.pay()).isEqualTo("failed: payments down");
            assertThat(inventory.pay()).isEqualTo("failed: payments down");
            assertThat(inventory.pay()).isEqualTo("refused by payments");
            assertThat(context.getBean(RetryRegistry.class)
                            .circuitBreakers()
                            .get("payments")
                            .state())
                    .isEqualTo(CircuitState.OPEN);
        });
    }

    @Test
    void anAnnotationNamingAnUnconfiguredEntryStopsTheStartNamingTheMethod() {
        runner.withBean(Misnamed.class).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new RetryAnnotationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .isEqualTo("Invalid retry annotation on Misnamed.stock(): "
                            + "@Retryable names retry.policies.inventroy, which is not configured;"
                            + " the configured names are default, inventory");
            assertThat(analysis.getAction()).contains("retry.strict-names=false");
        });
    }

    @Test
    void anInlineValueOutOfRangeStopsTheStartSayingWhatIsAllowed() {
        runner.withBean(ZeroAttempts.class).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new RetryAnnotationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .isEqualTo("Invalid retry annotation on ZeroAttempts.stock(): "
                            + "@Retryable sets maxAttempts = 0, but it must be a whole number of at least 1 (or left out to keep"
                            + " retry.policies.default.max-attempts)");
            assertThat(analysis.getAction())
                    .isEqualTo(
                            "Change that attribute of @Retryable to an allowed value, or leave it out to use the configured one");
        });
    }

    @Test
    void anInlineValueIsCheckedByTheSameRuleAsTheYaml() {
        runner.withBean(TooManyHedges.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(new RetryAnnotationFailureAnalyzer()
                            .analyze(context.getStartupFailure())
                            .getDescription())
                    .isEqualTo(
                            "Invalid retry annotation on TooManyHedges.stock(): @Hedged sets maxHedges = 11, but it"
                                    + " must be a whole number from 0 to 10 (or left out to keep retry.hedges.default.max-hedges)");
        });
    }

    @Test
    void aTimeoutThatCannotBeReadOrABulkheadThatIsNotConfiguredStopsTheStart() {
        runner.withBean(BadTimeout.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(new RetryAnnotationFailureAnalyzer()
                            .analyze(context.getStartupFailure())
                            .getDescription())
                    .isEqualTo("Invalid retry annotation on BadTimeout.stock(): @Timeout sets duration = 'soon',"
                            + " but it must be a duration above zero, such as 500ms or 2s");
        });
        runner.withBean(UnknownBulkhead.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(new RetryAnnotationFailureAnalyzer()
                            .analyze(context.getStartupFailure())
                            .getDescription())
                    .isEqualTo("Invalid retry annotation on UnknownBulkhead.stock(): @Bulkhead names"
                            + " retry.bulkheads.warehous, which is not configured; the configured names are default");
        });
    }

    @Test
    void withoutStrictNamesAnUnconfiguredNameFallsBackToDefault() {
        runner.withBean(Misnamed.class)
                .withPropertyValues("retry.strict-names=false")
                .run(context ->
                        assertThat(context.getBean(Misnamed.class).stock()).isEqualTo("x"));
    }

    @Test
    void everyConfiguredInstanceHasItsMetersFromTheStart() {
        runner.withUserConfiguration(MeterRegistryConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(RetryMetrics.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("retry.calls")
                            .tags("name", "inventory", "outcome", "success")
                            .counter()
                            .count())
                    .isZero();
            assertThat(meters.get("circuitbreaker.state")
                            .tags("name", "payments", "state", "CLOSED")
                            .gauge()
                            .value())
                    .isEqualTo(1);
            assertThat(meters.get("retry.attempts.limit")
                            .tags("name", "inventory")
                            .gauge()
                            .value())
                    .isEqualTo(4);
        });
    }

    @Test
    void theEndpointIsThereWhenExposedAndShowsEveryBreaker() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=circuitbreakers")
                .run(context -> {
                    assertThat(context).hasSingleBean(CircuitBreakersEndpoint.class);
                    assertThat(context.getBean(CircuitBreakersEndpoint.class)
                                    .circuitBreakers()
                                    .circuitBreakers())
                            .containsKeys("default", "payments");
                });
        runner.run(context -> assertThat(context).doesNotHaveBean(CircuitBreakersEndpoint.class));
    }

    @Test
    void theConfigEndpointAndTheHealthContributorAreThereWhenAvailable() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=retryconfig")
                .withConfiguration(AutoConfigurations.of(
                        org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration
                                .class))
                .run(context -> {
                    assertThat(context).hasSingleBean(dev.retry.spring.actuate.RetryConfigEndpoint.class);
                    assertThat(context).hasSingleBean(dev.retry.spring.actuate.CircuitBreakersHealthIndicator.class);
                });
        runner.withPropertyValues("management.health.circuitbreakers.enabled=false")
                .run(context -> assertThat(context)
                        .doesNotHaveBean(dev.retry.spring.actuate.CircuitBreakersHealthIndicator.class));
    }

    @Test
    void withoutAMeterRegistryThereAreNoMetersAndNothingFails() {
        runner.withUserConfiguration(InventoryConfiguration.class).run(context -> {
            assertThat(context).doesNotHaveBean(RetryMetrics.class);
            assertThat(context).hasSingleBean(RetryRegistry.class);
        });
    }

    @Test
    void aUsersOwnMetricsBeanIsUsedInstead() {
        RetryMetrics own = new RetryMetrics(new SimpleMeterRegistry());
        runner.withUserConfiguration(MeterRegistryConfiguration.class)
                .withBean(RetryMetrics.class, () -> own)
                .run(context -> assertThat(context.getBean(RetryMetrics.class)).isSameAs(own));
    }

    @Test
    void adaptiveRetryFromTheYamlReachesThePolicyAndItsGauge() {
        runner.withUserConfiguration(MeterRegistryConfiguration.class)
                .withPropertyValues(
                        "retry.policies.inventory.adaptive.enabled=true",
                        "retry.policies.inventory.adaptive.min-attempts=2")
                .run(context -> {
                    dev.retry.core.RetryPolicy inventory =
                            context.getBean(RetryRegistry.class).retryPolicies().get("inventory");
                    assertThat(inventory.config().adaptive()).isTrue();
                    assertThat(inventory.config().adaptiveMinAttempts()).isEqualTo(2);
                    assertThat(inventory.currentMaxAttempts()).isEqualTo(4);
                    assertThat(context.getBean(MeterRegistry.class)
                                    .get("retry.attempts.limit")
                                    .tags("name", "inventory")
                                    .gauge()
                                    .value())
                            .isEqualTo(4);
                    assertThat(context.getBean(RetryRegistry.class)
                                    .retryPolicies()
                                    .get("default")
                                    .config()
                                    .adaptive())
                            .isFalse();
                });
    }

    @Test
    void aUsersOwnRegistryIsUsedInstead() {
        RetryRegistry own = new RetryRegistry(RetrySettings.defaults(), java.util.List.of(), null);
        runner.withBean(RetryRegistry.class, () -> own)
                .run(context -> assertThat(context.getBean(RetryRegistry.class)).isSameAs(own));
    }
}
