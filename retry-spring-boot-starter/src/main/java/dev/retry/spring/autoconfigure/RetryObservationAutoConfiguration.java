package dev.retry.spring.autoconfigure;

import dev.retry.spring.observation.RetryAttemptObservationConvention;
import dev.retry.spring.observation.RetryCallObservationConvention;
import dev.retry.spring.observation.RetryObservations;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The contract's {@code retry.call} and {@code retry.attempt} observations, when the application has
 * a Micrometer {@link ObservationRegistry} (Spring Boot makes one with the actuator). A bean of type
 * {@link RetryCallObservationConvention} or {@link RetryAttemptObservationConvention} replaces the
 * default naming.
 */
@AutoConfiguration(
        before = RetryAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class RetryObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RetryObservations retryObservations(
            ObservationRegistry registry,
            ObjectProvider<RetryCallObservationConvention> callConvention,
            ObjectProvider<RetryAttemptObservationConvention> attemptConvention) {
        return new RetryObservations(registry, callConvention.getIfUnique(), attemptConvention.getIfUnique());
    }
}
