package dev.retry.spring.autoconfigure;

import dev.retry.spring.RetryRegistry;
import dev.retry.spring.actuate.CircuitBreakersEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code circuitbreakers} actuator endpoint, when the actuator is present and the endpoint exposed. */
@AutoConfiguration(after = RetryAutoConfiguration.class)
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(RetryRegistry.class)
public final class RetryEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(CircuitBreakersEndpoint.class)
    CircuitBreakersEndpoint circuitBreakersEndpoint(RetryRegistry registry) {
        return new CircuitBreakersEndpoint(registry::circuitBreakers);
    }
}
