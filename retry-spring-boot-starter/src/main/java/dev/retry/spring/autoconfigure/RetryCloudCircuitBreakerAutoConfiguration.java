package dev.retry.spring.autoconfigure;

import dev.retry.spring.cloud.RetryCircuitBreakerFactory;
import dev.retry.spring.cloud.RetryReactiveCircuitBreakerFactory;
import dev.retry.spring.registry.RetryRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.cloud.client.circuitbreaker.Customizer;
import org.springframework.cloud.client.circuitbreaker.ReactiveCircuitBreakerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With Spring Cloud Commons on the class path and no other Spring Cloud CircuitBreaker implementation
 * configured, Spring Cloud's circuit-breaker factories are backed by {@code retry}'s breakers, so
 * that OpenFeign, Gateway and HTTP service clients use {@code retry.circuit-breakers}. Each
 * {@code Customizer} bean of the factory's type is applied once, in order, before the factory is used.
 */
// Before Spring Cloud's own client configuration, which wires HTTP service clients to whichever
// CircuitBreakerFactory bean exists when it is processed.
@AutoConfiguration(
        after = RetryAutoConfiguration.class,
        beforeName = "org.springframework.cloud.client.CommonsClientAutoConfiguration")
@ConditionalOnClass(CircuitBreakerFactory.class)
@ConditionalOnBean(RetryRegistry.class)
public final class RetryCloudCircuitBreakerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(CircuitBreakerFactory.class)
    RetryCircuitBreakerFactory retryCircuitBreakerFactory(
            RetryRegistry registry, ObjectProvider<Customizer<RetryCircuitBreakerFactory>> customizers) {
        RetryCircuitBreakerFactory factory = new RetryCircuitBreakerFactory(registry);
        customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
        return factory;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "reactor.core.publisher.Mono")
    static final class Reactive {

        @Bean
        @ConditionalOnMissingBean(ReactiveCircuitBreakerFactory.class)
        RetryReactiveCircuitBreakerFactory retryReactiveCircuitBreakerFactory(
                RetryRegistry registry, ObjectProvider<Customizer<RetryReactiveCircuitBreakerFactory>> customizers) {
            RetryReactiveCircuitBreakerFactory factory = new RetryReactiveCircuitBreakerFactory(registry);
            customizers.orderedStream().forEach(customizer -> customizer.customize(factory));
            return factory;
        }
    }
}
