package dev.retry.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.offset;

import dev.retry.core.Backoff;
import dev.retry.core.BulkheadConfig;
import dev.retry.core.CircuitBreakerConfig;
import dev.retry.core.CircuitBreakerConfig.WindowType;
import dev.retry.core.HedgeConfig;
import dev.retry.core.Jitter;
import dev.retry.core.RetryConfig;
import dev.retry.core.TimeoutConfig;
import dev.retry.spring.config.RetryProperties;
import dev.retry.spring.config.RetrySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

class RetryAutoConfigurationTests {

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class));

    @Test
    void withNothingConfiguredEverySectionHasOnlyItsDefaultEntryWithTheBuiltInValues() {
        runner.run(context -> {
            RetrySettings settings = context.getBean(RetrySettings.class);
            assertThat(settings.strictNames()).isTrue();
            assertThat(settings.policies()).containsOnlyKeys("default");
            assertThat(settings.circuitBreakers()).containsOnlyKeys("default");
            assertThat(settings.hedges()).containsOnlyKeys("default");
            assertThat(settings.timeouts()).containsOnlyKeys("default");
            assertThat(settings.bulkheads()).containsOnlyKeys("default");

            // Written nowhere in the starter: each is the core's own built-in configuration.
            assertThat(settings.policy("default").orElseThrow())
                    .usingRecursiveComparison()
                    .isEqualTo(RetryConfig.defaults());
            assertThat(settings.retryOnStatus("default")).containsExactly(408, 425, 429, 500, 502, 503, 504);
            assertThat(settings.circuitBreaker("default").orElseThrow())
                    .usingRecursiveComparison()
                    .isEqualTo(CircuitBreakerConfig.defaults());
            assertThat(settings.hedge("default").orElseThrow())
                    .usingRecursiveComparison()
                    .isEqualTo(HedgeConfig.defaults());
            assertThat(settings.timeout("default").orElseThrow())
                    .usingRecursiveComparison()
                    .isEqualTo(TimeoutConfig.defaults());
            assertThat(settings.bulkhead("default").orElseThrow())
                    .usingRecursiveComparison()
                    .isEqualTo(BulkheadConfig.defaults());
            assertThat(RetryConfig.defaults().maxAttempts()).isEqualTo(3);
            assertThat(CircuitBreakerConfig.defaults().windowSize()).isEqualTo(100);
            assertThat(HedgeConfig.defaults().delay()).isEqualTo(Duration.ofMillis(100));
        });
    }

    @Test
    void theBuiltInDefaultsAreTheSameWithoutSpring() {
        runner.run(context -> assertThat(context.getBean(RetrySettings.class))
                .usingRecursiveComparison()
                .isEqualTo(RetrySettings.defaults()));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnSettings() {
        runner.withUserConfiguration(OwnSettings.class).run(context -> {
            assertThat(context).hasSingleBean(RetrySettings.class);
            assertThat(context.getBean(RetrySettings.class)).isSameAs(context.getBean(OwnSettings.class).settings);
        });
    }

    @Test
    void aNamedEntryInheritsEachUnsetKeyFromTheDefaultEntry() {
        runner.withPropertyValues(
                        "retry.policies.default.delay=250ms",
                        "retry.policies.default.jitter=none",
                        "retry.policies.inventory.max-attempts=5",
                        "retry.policies.inventory.jitter=equal")
                .run(context -> {
                    RetryConfig inventory = context.getBean(RetrySettings.class)
                            .policy("inventory")
                            .orElseThrow();
                    assertThat(inventory.name()).isEqualTo("inventory");
                    assertThat(inventory.maxAttempts()).isEqualTo(5);
                    assertThat(inventory.jitter()).isEqualTo(Jitter.EQUAL);
                    assertThat(inventory.delay()).isEqualTo(Duration.ofMillis(250));
                    assertThat(inventory.backoff()).isEqualTo(Backoff.EXPONENTIAL);
                    assertThat(inventory.maxDelay()).isEqualTo(Duration.ofSeconds(10));
                });
    }

    @Test
    void theDefaultEntryInheritsEachUnsetKeyFromTheBuiltInDefaults() {
        runner.withPropertyValues("retry.policies.default.max-attempts=4").run(context -> {
            RetryConfig defaults =
                    context.getBean(RetrySettings.class).policy("default").orElseThrow();
            assertThat(defaults.maxAttempts()).isEqualTo(4);
            assertThat(defaults.delay()).isEqualTo(Duration.ofMillis(100));
            assertThat(defaults.multiplier()).isEqualTo(2.0);
            assertThat(context.getBean(RetrySettings.class).retryOnStatus("default"))
                    .containsExactly(408, 425, 429, 500, 502, 503, 504);
        });
    }

    @Test
    void aDefaultOverriddenInYamlFlowsIntoEveryNamedEntryOfEverySection() {
        runner.withInitializer(
                        context -> context.getEnvironment().getPropertySources().addFirst(yaml("""
                retry:
                  strict-names: false
                  policies:
                    default:
                      retry-on: [java.io.IOException, java.util.concurrent.TimeoutException]
                      budget:
                        ratio: 0.1
                      adaptive:
                        enabled: true
                    inventory:
                      budget:
                        min-retries-per-second: 5
                    payments:
                      retry-on: []
                    orders: {}
                  circuit-breakers:
                    default:
                      window: time
                      window-size: 30
                    inventory:
                      failure-rate-threshold: 25.5
                  hedges:
                    default:
                      delay: p99
                    search:
                      max-hedges: 2
                  timeouts:
                    default:
                      interrupt: false
                    slow:
                      duration: 5s
                  bulkheads:
                    default:
                      max-wait: 20ms
                    reports:
                      max-concurrent-calls: 2
                """)))
                .run(context -> {
                    RetrySettings settings = context.getBean(RetrySettings.class);
                    assertThat(settings.strictNames()).isFalse();
                    assertThat(settings.policies()).containsOnlyKeys("default", "inventory", "payments", "orders");

                    RetryConfig inventory = settings.policy("inventory").orElseThrow();
                    // nested keys are inherited one by one, not the budget as a whole
                    assertThat(inventory.budgetRatio()).isEqualTo(0.1);
                    assertThat(inventory.budgetMinRetriesPerSecond()).isEqualTo(5);
                    assertThat(inventory.adaptive()).isTrue();
                    assertThat(inventory.adaptiveMinAttempts()).isEqualTo(1);
                    assertThat(inventory.retryOn()).containsExactly(IOException.class, TimeoutException.class);
                    // an empty list is written, not unset: it replaces the default's
                    assertThat(settings.policy("payments").orElseThrow().retryOn())
                            .isEmpty();
                    // an entry with no keys at all still exists, entirely inherited
                    assertThat(settings.policy("orders").orElseThrow())
                            .usingRecursiveComparison()
                            .ignoringFields("name")
                            .isEqualTo(settings.policy("default").orElseThrow());

                    CircuitBreakerConfig breaker =
                            settings.circuitBreaker("inventory").orElseThrow();
                    assertThat(breaker.windowType()).isEqualTo(WindowType.TIME);
                    assertThat(breaker.windowSize()).isEqualTo(30);
                    assertThat(breaker.failureRateThreshold()).isEqualTo(25.5f);
                    assertThat(breaker.minimumCalls()).isEqualTo(20);

                    HedgeConfig search = settings.hedge("search").orElseThrow();
                    assertThat(search.delayPercentile()).hasValue(99.0);
                    assertThat(search.maxHedges()).isEqualTo(2);
                    TimeoutConfig slow = settings.timeout("slow").orElseThrow();
                    assertThat(slow.duration()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(slow.interrupt()).isFalse();
                    BulkheadConfig reports = settings.bulkhead("reports").orElseThrow();
                    assertThat(reports.maxConcurrentCalls()).isEqualTo(2);
                    assertThat(reports.maxWait()).isEqualTo(Duration.ofMillis(20));
                });
    }

    @Test
    void durationsAndEnumsAreReadAsSpringBootReadsThem() {
        runner.withPropertyValues(
                        "retry.policies.inventory.delay=PT0.5S",
                        "retry.policies.inventory.max-delay=1500",
                        "retry.policies.inventory.max-duration=1m",
                        "retry.policies.inventory.backoff=FIBONACCI",
                        "retry.policies.inventory.jitter=Decorrelated",
                        "retry.hedges.search.delay=p99.9")
                .run(context -> {
                    RetrySettings settings = context.getBean(RetrySettings.class);
                    RetryConfig inventory = settings.policy("inventory").orElseThrow();
                    assertThat(inventory.delay()).isEqualTo(Duration.ofMillis(500));
                    assertThat(inventory.maxDelay())
                            .as("a plain number is milliseconds")
                            .isEqualTo(Duration.ofMillis(1500));
                    assertThat(inventory.maxDuration()).isEqualTo(Duration.ofMinutes(1));
                    assertThat(inventory.backoff()).isEqualTo(Backoff.FIBONACCI);
                    assertThat(inventory.jitter()).isEqualTo(Jitter.DECORRELATED);
                    assertThat(settings.hedge("search")
                                    .orElseThrow()
                                    .delayPercentile()
                                    .orElseThrow())
                            .isCloseTo(99.9, offset(1e-9));
                });
    }

    @Test
    void anUnwrittenMaxDelayGrowsToALongerDelayAsTheCoreDoes() {
        runner.withPropertyValues("retry.policies.slow.delay=20s")
                .run(context -> assertThat(context.getBean(RetrySettings.class)
                                .policy("slow")
                                .orElseThrow()
                                .maxDelay())
                        .isEqualTo(Duration.ofSeconds(20)));
    }

    @Test
    void commaSeparatedListsAndTheirElementsAreTrimmed() {
        runner.withPropertyValues(
                        "retry.policies.inventory.retry-on=java.io.IOException, java.net.SocketTimeoutException",
                        "retry.policies.inventory.retry-on-status=503, 429")
                .run(context -> {
                    RetryConfig inventory = context.getBean(RetrySettings.class)
                            .policy("inventory")
                            .orElseThrow();
                    assertThat(inventory.retryOn()).containsExactly(IOException.class, SocketTimeoutException.class);
                    assertThat(context.getBean(RetrySettings.class).retryOnStatus("inventory"))
                            .containsExactly(503, 429);
                });
    }

    @Test
    void anUnconfiguredNameIsAbsentAndDefaultComesFirst() {
        runner.withPropertyValues("retry.bulkheads.zeta.max-wait=1s", "retry.bulkheads.alpha.max-wait=2s")
                .run(context -> {
                    RetrySettings settings = context.getBean(RetrySettings.class);
                    assertThat(settings.bulkhead("missing")).isEmpty();
                    assertThat(settings.bulkheads().keySet()).containsExactly("default", "zeta", "alpha");
                });
    }

    @Test
    void theSettingsCannotBeChangedAfterStartUp() {
        runner.withPropertyValues("retry.policies.inventory.retry-on=java.io.IOException")
                .run(context -> {
                    RetrySettings settings = context.getBean(RetrySettings.class);
                    assertThatExceptionOfType(UnsupportedOperationException.class)
                            .isThrownBy(() -> settings.policies().remove("default"));
                    assertThatExceptionOfType(UnsupportedOperationException.class)
                            .isThrownBy(() -> settings.policy("inventory")
                                    .orElseThrow()
                                    .retryOn()
                                    .clear());
                });
    }

    private static PropertySource<?> yaml(String text) {
        try {
            return new YamlPropertySourceLoader()
                    .load("application.yaml", new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8)))
                    .get(0);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSettings {

        final RetrySettings settings = RetrySettings.of(new RetryProperties());

        @Bean
        RetrySettings ownRetrySettings() {
            return settings;
        }
    }

    @Test
    void aNativeImageCanBindEveryEntryClass() {
        RuntimeHints hints = new RuntimeHints();
        new RetryAutoConfiguration.RetryPropertiesBindingHints()
                .registerHints(hints, getClass().getClassLoader());

        for (Class<?> type : List.of(
                RetryProperties.class,
                RetryProperties.Policy.class,
                RetryProperties.Budget.class,
                RetryProperties.Adaptive.class,
                RetryProperties.CircuitBreaker.class,
                RetryProperties.Hedge.class,
                RetryProperties.Timeout.class,
                RetryProperties.Bulkhead.class)) {
            assertThat(RuntimeHintsPredicates.reflection().onType(type))
                    .as(type.getName())
                    .accepts(hints);
        }
    }
}
