package dev.retry.spring.autoconfigure;

import dev.retry.spring.actuate.CircuitBreakersBodyTypeHandler;
import dev.retry.spring.actuate.CircuitBreakersBodyTypeResolver;
import dev.retry.spring.actuate.CircuitBreakersEndpoint;
import dev.retry.spring.actuate.CircuitBreakersHealthIndicator;
import dev.retry.spring.actuate.RetryConfigEndpoint;
import dev.retry.spring.actuate.RetryEventsEndpoint;
import dev.retry.spring.events.RecentEvents;
import dev.retry.spring.registry.RetryRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The actuator's view of {@code retry}: the {@code circuitbreakers} endpoint (read and move), the
 * read-only {@code retryconfig} endpoint (the effective configuration of every name), the {@code
 * retryevents} endpoint (the recent events of every name), and the
 * {@code circuitBreakers} health contributor, each when the actuator has it available.
 */
@AutoConfiguration(after = {RetryAutoConfiguration.class, RetryEventsAutoConfiguration.class})
@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
@ConditionalOnBean(RetryRegistry.class)
public final class RetryEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(CircuitBreakersEndpoint.class)
    CircuitBreakersEndpoint circuitBreakersEndpoint(RetryRegistry registry) {
        return new CircuitBreakersEndpoint(registry::circuitBreakers);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(RetryConfigEndpoint.class)
    RetryConfigEndpoint retryConfigEndpoint(RetryRegistry registry) {
        return new RetryConfigEndpoint(registry);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(RecentEvents.class)
    @ConditionalOnAvailableEndpoint(RetryEventsEndpoint.class)
    RetryEventsEndpoint retryEventsEndpoint(RecentEvents events) {
        return new RetryEventsEndpoint(events::describe);
    }

    /**
     * A {@code POST} to the {@code circuitbreakers} endpoint with a body that is not JSON gets the
     * endpoint's 400, not the actuator's 415: under Spring MVC here, under WebFlux below.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.HandlerExceptionResolver")
    static class ServletConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint(CircuitBreakersEndpoint.class)
        CircuitBreakersBodyTypeResolver circuitBreakersBodyTypeResolver(
                CircuitBreakersEndpoint endpoint, ObjectProvider<PathMappedEndpoints> paths) {
            return new CircuitBreakersBodyTypeResolver(() -> circuitBreakersPath(paths), endpoint);
        }
    }

    /** The same 400 under WebFlux, where the actuator's refusal reaches the web exception handlers. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.server.WebExceptionHandler")
    static class ReactiveConfiguration {

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnAvailableEndpoint(CircuitBreakersEndpoint.class)
        CircuitBreakersBodyTypeHandler circuitBreakersBodyTypeHandler(
                CircuitBreakersEndpoint endpoint, ObjectProvider<PathMappedEndpoints> paths) {
            return new CircuitBreakersBodyTypeHandler(() -> circuitBreakersPath(paths), endpoint);
        }
    }

    private static @Nullable String circuitBreakersPath(ObjectProvider<PathMappedEndpoints> paths) {
        PathMappedEndpoints mapped = paths.getIfAvailable();
        return mapped == null ? null : mapped.getPath(EndpointId.of("circuitbreakers"));
    }

    /** Only with Spring Boot's health support, and unless {@code management.health.circuitbreakers.enabled=false}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    @ConditionalOnEnabledHealthIndicator("circuitbreakers")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "circuitBreakersHealthIndicator")
        CircuitBreakersHealthIndicator circuitBreakersHealthIndicator(RetryRegistry registry) {
            return new CircuitBreakersHealthIndicator(registry::circuitBreakers, registry::healthDownWhenOpen);
        }
    }
}
