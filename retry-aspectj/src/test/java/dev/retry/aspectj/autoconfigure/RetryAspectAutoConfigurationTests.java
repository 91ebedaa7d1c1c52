package dev.retry.aspectj.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.Fallback;
import dev.retry.annotation.Retryable;
import dev.retry.aspectj.RetryAspect;
import dev.retry.aspectj.unwoven.PlainInventory;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryMetricsAutoConfiguration;
import dev.retry.spring.config.InvalidRetryConfigurationException;
import dev.retry.spring.interceptor.InvalidRetryAnnotationException;
import dev.retry.spring.interceptor.RetryAnnotationBeanPostProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code retry.mode: aspectj} in an application context, with beans woven at compile time: the
 * starter proxies nothing, the woven calls use the application's policies and meters, and a bad
 * configuration or a mode that does not match the weaving stops the start-up.
 */
class RetryAspectAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RetryAutoConfiguration.class,
                    RetryMetricsAutoConfiguration.class,
                    RetryAspectAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withPropertyValues(
                    "retry.mode=aspectj",
                    "retry.policies.default.delay=0ms",
                    "retry.policies.inventory.max-attempts=4");

    /** Woven: its public method reaches the annotated ones through {@code this}. */
    static class Inventory {

        final AtomicInteger attempts = new AtomicInteger();

        public String stock() throws IOException {
            return this.fetch();
        }

        @Retryable("inventory")
        public String fetch() throws IOException {
            attempts.incrementAndGet();
            throw new IOException("inventory down");
        }

        public String price() throws IOException {
            return this.quote();
        }

        @Retryable("inventory")
        @Fallback("listPrice")
        String quote() throws IOException {
            attempts.incrementAndGet();
            throw new IOException("pricing down");
        }

        String listPrice(IOException failure) {
            return "list price, since " + failure.getMessage();
        }
    }

    static class MissingName {

        @Retryable("nowhere")
        public String stock() {
            return "7";
        }
    }

    /** Unnamed: the {@code default} policy, configured or built in. */
    static class Standalone {

        final AtomicInteger attempts = new AtomicInteger();

        @Retryable
        public String stock() throws IOException {
            attempts.incrementAndGet();
            throw new IOException("down");
        }
    }

    @Test
    void aCallFromInsideTheBeanIsRetriedWithTheConfiguredPolicyAndCountedByItsMeters() {
        runner.withBean(Inventory.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(RetryAnnotationBeanPostProcessor.class);
            Inventory inventory = context.getBean(Inventory.class);
            assertThat(AopUtils.isAopProxy(inventory)).isFalse();

            assertThatThrownBy(inventory::stock).isExactlyInstanceOf(IOException.class);

            assertThat(inventory.attempts).hasValue(4);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("retry.calls")
                            .tags("name", "inventory", "outcome", "failure_after_retry", "exception", "IOException")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(meters.get("retry.attempts")
                            .tags("name", "inventory", "exception", "IOException")
                            .counter()
                            .count())
                    .isEqualTo(3);
        });
    }

    @Test
    void theFallbackOfAMethodCalledFromInsideTheBeanAnswers() {
        runner.withBean(Inventory.class).run(context -> {
            Inventory inventory = context.getBean(Inventory.class);

            assertThat(inventory.price()).isEqualTo("list price, since pricing down");
            assertThat(inventory.attempts).hasValue(4);
            assertThat(context.getBean(MeterRegistry.class)
                            .get("fallback.calls")
                            .tags("exception", "IOException")
                            .counter()
                            .count())
                    .isEqualTo(1);
        });
    }

    @Test
    void anObjectBuiltWithNewUsesTheRunningApplicationsPoliciesAndTheDefaultOnesOnceItHasClosed() throws Exception {
        runner.withPropertyValues("retry.policies.default.max-attempts=5").run(context -> {
            Standalone built = new Standalone();
            assertThatThrownBy(built::stock).isInstanceOf(IOException.class);
            assertThat(built.attempts).hasValue(5);
            assertThat(context.getBean(MeterRegistry.class)
                            .get("retry.calls")
                            .tags("name", "default", "outcome", "failure_after_retry", "exception", "IOException")
                            .counter()
                            .count())
                    .isEqualTo(1);
        });

        Standalone afterwards = new Standalone();
        assertThatThrownBy(afterwards::stock).isInstanceOf(IOException.class);
        assertThat(afterwards.attempts).as("the built-in default: 3 attempts").hasValue(3);
    }

    @Test
    void anAnnotationThatNamesAnUnconfiguredPolicyStillStopsTheStartUp() {
        runner.withBean(MissingName.class)
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidRetryAnnotationException.class)
                        .hasMessageContaining("MissingName.stock()")
                        .hasMessageContaining("nowhere"));
    }

    @Test
    void aBadValueStillStopsTheStartUp() {
        runner.withPropertyValues("retry.policies.inventory.max-attempts=0")
                .withBean(Inventory.class)
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidRetryConfigurationException.class)
                        .hasMessageContaining("retry.policies.inventory.max-attempts was '0'"));
    }

    @Test
    void aModeThatNamesNeitherStopsTheStartUpSayingWhatIsAllowed() {
        runner.withPropertyValues("retry.mode=aspect")
                .run(
                        context -> assertThat(context)
                                .getFailure()
                                .rootCause()
                                .isInstanceOf(InvalidRetryConfigurationException.class)
                                .hasMessage(
                                        "Invalid retry configuration: retry.mode was 'aspect', but it must be proxy or aspectj"));
    }

    @Test
    void aWovenBeanInAProxyModeApplicationStopsTheStartUpRatherThanBeingHandledTwice() {
        runner.withPropertyValues("retry.mode=proxy")
                .withBean(Inventory.class)
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidRetryAnnotationException.class)
                        .hasMessageContaining("Inventory.fetch()")
                        .hasMessageContaining("is woven by AspectJ, but retry.mode is proxy")
                        .hasMessageContaining("Set retry.mode=aspectj"));
    }

    @Test
    void anUnwovenBeanInAnAspectJModeApplicationStopsTheStartUpRatherThanGoingUnhandled() {
        runner.withBean(PlainInventory.class)
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidRetryAnnotationException.class)
                        .hasMessageContaining("PlainInventory.stock()")
                        .hasMessageContaining("retry.mode is aspectj and the method is not woven"));
    }

    @Test
    void anUnwovenBeanInAProxyModeApplicationIsProxiedAsBefore() {
        runner.withPropertyValues("retry.mode=proxy")
                .withBean(PlainInventory.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(AopUtils.isAopProxy(context.getBean(PlainInventory.class)))
                            .isTrue();
                });
    }

    @Test
    void theApplicationsInterceptorIsHandedBackWhenItCloses() {
        runner.run(context -> assertThat(RetryAspect.interceptor())
                .isSameAs(context.getBean(RetryAspectConnector.class).interceptor()));
    }
}
