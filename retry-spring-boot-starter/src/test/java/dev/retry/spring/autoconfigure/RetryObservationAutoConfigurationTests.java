package dev.retry.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.Retryable;
import dev.retry.spring.observation.DefaultRetryAttemptObservationConvention;
import dev.retry.spring.observation.DefaultRetryCallObservationConvention;
import dev.retry.spring.observation.MethodObservers;
import dev.retry.spring.observation.ObservedMethod;
import dev.retry.spring.observation.RetryAttemptContext;
import dev.retry.spring.observation.RetryAttemptObservationConvention;
import dev.retry.spring.observation.RetryCallContext;
import dev.retry.spring.observation.RetryCallObservationConvention;
import dev.retry.spring.observation.RetryObservations;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** When the observations are made, and how a user's convention bean renames them. */
class RetryObservationAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(RetryAutoConfiguration.class, RetryObservationAutoConfiguration.class))
            .withBean(Prices.class);

    public static class Prices {

        @Retryable
        public String price() {
            return "9.99";
        }
    }

    /** A user's naming: other names, and a key of their own beside the default ones. */
    @Configuration(proxyBeanMethods = false)
    static class ShopConventions {

        @Bean
        RetryCallObservationConvention shopCallConvention() {
            return new DefaultRetryCallObservationConvention() {
                @Override
                public String getName() {
                    return "shop.resilient.call";
                }

                @Override
                public KeyValues getLowCardinalityKeyValues(RetryCallContext context) {
                    return super.getLowCardinalityKeyValues(context).and("team", "pricing");
                }
            };
        }

        @Bean
        RetryAttemptObservationConvention shopAttemptConvention() {
            return new DefaultRetryAttemptObservationConvention() {
                @Override
                public String getName() {
                    return "shop.resilient.attempt";
                }

                @Override
                public KeyValues getLowCardinalityKeyValues(RetryAttemptContext context) {
                    return KeyValues.of("try", Integer.toString(context.getAttempt()));
                }
            };
        }
    }

    @Test
    void withoutAnObservationRegistryNothingIsObservedAndCallsRunAsBefore() {
        runner.run(context -> {
            assertThat(context).doesNotHaveBean(RetryObservations.class);
            assertThat(context.getBean(Prices.class).price()).isEqualTo("9.99");
        });
    }

    @Test
    void withoutMicrometerObservationOnTheClassPathTheApplicationStillStarts() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer.observation"))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(RetryObservations.class);
                    assertThat(context.getBean(Prices.class).price()).isEqualTo("9.99");
                });
    }

    @Test
    void aUsersConventionBeansRenameAndReKeyTheObservations() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        runner.withBean(ObservationRegistry.class, () -> observations)
                .withUserConfiguration(ShopConventions.class)
                .run(context -> {
                    context.getBean(Prices.class).price();

                    TestObservationRegistryAssert.assertThat(observations)
                            .hasNumberOfObservationsWithNameEqualTo("retry.call", 0)
                            .hasNumberOfObservationsWithNameEqualTo("retry.attempt", 0)
                            .hasObservationWithNameEqualTo("shop.resilient.call")
                            .that()
                            .hasLowCardinalityKeyValue("team", "pricing")
                            .hasLowCardinalityKeyValue("method", "Prices.price")
                            .hasLowCardinalityKeyValue("outcome", "success");
                    TestObservationRegistryAssert.assertThat(observations)
                            .hasObservationWithNameEqualTo("shop.resilient.attempt")
                            .that()
                            .hasLowCardinalityKeyValue("try", "1")
                            .doesNotHaveLowCardinalityKeyValueWithKey("kind");
                });
    }

    @Test
    void aRegistryThatRecordsNothingMakesNoObserverForAnyMethod() throws NoSuchMethodException {
        ObservedMethod price =
                new ObservedMethod(Prices.class.getMethod("price"), Prices.class, "default", null, null, null, null);

        assertThat(new RetryObservations(ObservationRegistry.NOOP, null, null).forMethod(price))
                .isNull();
        assertThat(new RetryObservations(ObservationRegistry.create(), null, null).forMethod(price))
                .as("a registry without a handler")
                .isNull();
        assertThat(new RetryObservations(TestObservationRegistry.create(), null, null).forMethod(price))
                .isNotNull();
        assertThat(MethodObservers.NONE.forMethod(price)).isNull();
    }
}
