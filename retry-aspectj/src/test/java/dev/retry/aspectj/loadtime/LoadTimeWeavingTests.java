package dev.retry.aspectj.loadtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.retry.annotation.Retryable;
import dev.retry.aspectj.autoconfigure.RetryAspectAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Runs in a JVM started with {@code -javaagent:aspectjweaver.jar} (the pom's {@code
 * load-time-weaving} execution), whose agent weaves this class as it loads, following the module's
 * {@code META-INF/aop.xml}; javac compiled it, unwoven.
 */
class LoadTimeWeavingTests {

    static class Inventory {

        final AtomicInteger attempts = new AtomicInteger();

        public String stock() throws IOException {
            return this.fetch();
        }

        @Retryable("inventory")
        public String fetch() throws IOException {
            if (attempts.incrementAndGet() < 4) {
                throw new IOException("inventory down");
            }
            return "7";
        }
    }

    static class Quick {

        final AtomicInteger attempts = new AtomicInteger();

        String stock() throws IOException {
            return this.fetch();
        }

        @Retryable
        private String fetch() throws IOException {
            attempts.incrementAndGet();
            throw new IOException("down");
        }
    }

    /**
     * Skips the tests in a JVM that was not started with the agent; in the execution that starts it,
     * which says so, a class the agent did not weave fails them.
     */
    @BeforeEach
    void requireTheWeavingAgent() {
        assumeTrue(
                Boolean.getBoolean("retry.test.weaving-agent"),
                "needs -javaagent:aspectjweaver.jar: runs in the load-time-weaving execution of retry-aspectj's pom");
    }

    @Test
    void theAgentWeavesTheClassAsItLoads() {
        assertThat(Arrays.stream(Inventory.class.getDeclaredFields()).map(field -> field.getName()))
                .as("the join point fields the weaver adds; without them the agent did not run")
                .anyMatch(name -> name.startsWith("ajc$tjp_"));
    }

    @Test
    void aPrivateMethodCalledFromInsideTheObjectIsRetriedWithTheBuiltInDefaults() {
        Quick quick = new Quick();

        assertThatThrownBy(quick::stock).isExactlyInstanceOf(IOException.class);
        assertThat(quick.attempts).hasValue(3);
    }

    @Test
    void aCallFromInsideABeanIsRetriedInAnAspectJModeApplication() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        RetryAutoConfiguration.class,
                        RetryMetricsAutoConfiguration.class,
                        RetryAspectAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(Inventory.class)
                .withPropertyValues(
                        "retry.mode=aspectj",
                        "retry.policies.default.delay=0ms",
                        "retry.policies.inventory.max-attempts=4")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    Inventory inventory = context.getBean(Inventory.class);
                    assertThat(AopUtils.isAopProxy(inventory)).isFalse();

                    assertThat(inventory.stock()).isEqualTo("7");

                    assertThat(inventory.attempts).hasValue(4);
                    assertThat(context.getBean(MeterRegistry.class)
                                    .get("retry.calls")
                                    .tags("name", "inventory", "outcome", "success_after_retry")
                                    .counter()
                                    .count())
                            .isEqualTo(1);
                });
    }
}
