package dev.retry.spring.autoconfigure;

import dev.retry.spring.http.RetryHttpClients;
import dev.retry.spring.http.RetryWebClientFilters;
import dev.retry.spring.registry.RetryRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/**
 * With Spring's {@code RestClient} on the class path, {@link RetryHttpClients}, and with WebFlux's
 * {@code WebClient} too, {@link RetryWebClientFilters}: named pipelines for every request of a
 * client, without annotations.
 */
@AutoConfiguration(after = RetryAutoConfiguration.class)
@ConditionalOnClass(RestClient.class)
@ConditionalOnBean(RetryRegistry.class)
public final class RetryHttpClientsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RetryHttpClients retryHttpClients(RetryRegistry registry) {
        return new RetryHttpClients(registry);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.web.reactive.function.client.WebClient")
    static final class ForWebClient {

        @Bean
        @ConditionalOnMissingBean
        RetryWebClientFilters retryWebClientFilters(RetryRegistry registry) {
            return new RetryWebClientFilters(registry);
        }
    }
}
