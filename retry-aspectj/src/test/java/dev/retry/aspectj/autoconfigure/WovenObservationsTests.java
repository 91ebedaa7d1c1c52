package dev.retry.aspectj.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.annotation.Retryable;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryObservationAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * With {@code retry.mode: aspectj} and an {@link ObservationRegistry}, a woven call, even one made
 * from inside the bean, is one {@code retry.call} observation with a {@code retry.attempt} child per
 * attempt, as a call through the starter's proxy is.
 */
class WovenObservationsTests {

    private final TestObservationRegistry observations = TestObservationRegistry.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RetryObservationAutoConfiguration.class,
                    RetryAutoConfiguration.class,
                    RetryAspectAutoConfiguration.class))
            .withBean(ObservationRegistry.class, () -> observations)
            .withPropertyValues(
                    "retry.mode=aspectj",
                    "retry.policies.inventory.max-attempts=3",
                    "retry.policies.inventory.delay=0ms");

    /** Woven at compile time; {@code stock} reaches the annotated method through {@code this}. */
    static class Inventory {

        final AtomicInteger attempts = new AtomicInteger();

        public String stock() throws IOException {
            return this.fetch();
        }

        @Retryable("inventory")
        public String fetch() throws IOException {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("inventory down");
            }
            return "7";
        }
    }

    @Test
    void aSelfInvokedWovenCallRetriedTwiceIsOneCallObservationWithThreeAttempts() throws IOException {
        runner.withBean(Inventory.class).run(context -> {
            assertThat(context).hasNotFailed();

            assertThat(context.getBean(Inventory.class).stock()).isEqualTo("7");

            TestObservationRegistryAssert.assertThat(observations)
                    .hasNumberOfObservationsWithNameEqualTo("retry.call", 1)
                    .hasNumberOfObservationsWithNameEqualTo("retry.attempt", 3)
                    .hasObservationWithNameEqualTo("retry.call")
                    .that()
                    .hasLowCardinalityKeyValue("retry.policy", "inventory")
                    .hasLowCardinalityKeyValue("outcome", "success_after_retry")
                    .hasBeenStopped();
        });
    }

    @Test
    void aWovenCallThatFailsForGoodCarriesItsFailureAsTheError() {
        runner.withBean(Inventory.class)
                .withPropertyValues("retry.policies.inventory.max-attempts=2")
                .run(context -> {
                    assertThatThrownBy(context.getBean(Inventory.class)::stock).isInstanceOf(IOException.class);

                    TestObservationRegistryAssert.assertThat(observations)
                            .hasNumberOfObservationsWithNameEqualTo("retry.attempt", 2)
                            .hasObservationWithNameEqualTo("retry.call")
                            .that()
                            .hasLowCardinalityKeyValue("outcome", "failure_after_retry")
                            .assertThatError()
                            .isInstanceOf(IOException.class);
                });
    }
}
