package dev.retry.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.io.ResourceLoader;

/**
 * Binds {@code retry.*} and resolves it into {@link RetrySettings}, refusing a bad value at start-up.
 * The aspect, meters and endpoint that use the settings are configured by their own
 * auto-configurations.
 */
@AutoConfiguration
@EnableConfigurationProperties(RetryProperties.class)
public final class RetryAutoConfiguration {

    /**
     * Never lazy, not even with {@code spring.main.lazy-initialization}: a bad value must stop the
     * start-up, not the first call that happens to need the settings.
     *
     * @param resourceLoader the application's, whose class loader finds the exception classes named
     *     in the configuration
     */
    @Bean
    @ConditionalOnMissingBean
    @Lazy(false)
    RetrySettings retrySettings(RetryProperties properties, ResourceLoader resourceLoader) {
        return RetrySettings.of(properties, resourceLoader.getClassLoader());
    }
}
