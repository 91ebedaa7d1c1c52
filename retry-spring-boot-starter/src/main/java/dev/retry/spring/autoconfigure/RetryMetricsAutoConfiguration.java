package dev.retry.spring.autoconfigure;

import dev.retry.spring.metrics.RetryMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The contract's meters, for every policy the registry builds, when the application has a
 * Micrometer {@link MeterRegistry}.
 */
@AutoConfiguration(
        before = RetryAutoConfiguration.class,
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class RetryMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RetryMetrics retryMetrics(MeterRegistry registry) {
        return new RetryMetrics(registry);
    }
}
