package dev.retry.spring.autoconfigure;

import dev.retry.spring.registry.RetryRegistry;
import java.util.Locale;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * With Spring Cloud's context on the class path, a change of {@code retry.*} that Spring Cloud
 * announces with an {@link EnvironmentChangeEvent} ({@code /actuator/refresh}, Spring Cloud Bus, a
 * config server's push) reaches the live policies through {@link RetryRegistry#reconfigure(Environment,
 * ClassLoader)}: applied in place or refused whole. Without Spring Cloud this configuration is
 * skipped and the registry's method is there for anyone who changes the configuration otherwise.
 */
@AutoConfiguration(after = RetryAutoConfiguration.class)
@ConditionalOnClass(EnvironmentChangeEvent.class)
@ConditionalOnBean(RetryRegistry.class)
public final class RetryRefreshAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RetryConfigurationRefresher retryConfigurationRefresher(
            ObjectProvider<RetryRegistry> registry, Environment environment, ResourceLoader resourceLoader) {
        return new RetryConfigurationRefresher(registry, environment, resourceLoader.getClassLoader());
    }

    /** Hands the registry the environment again whenever a key under {@code retry} has changed. */
    static final class RetryConfigurationRefresher implements ApplicationListener<EnvironmentChangeEvent> {

        private final ObjectProvider<RetryRegistry> registry;
        private final Environment environment;
        private final ClassLoader classLoader;

        RetryConfigurationRefresher(
                ObjectProvider<RetryRegistry> registry, Environment environment, ClassLoader classLoader) {
            this.registry = registry;
            this.environment = environment;
            this.classLoader = classLoader;
        }

        @Override
        public void onApplicationEvent(EnvironmentChangeEvent event) {
            if (touchesRetry(event.getKeys())) {
                registry.getObject().reconfigure(environment, classLoader);
            }
        }

        /** {@code retry.policies.x.delay} as a property file writes it, {@code RETRY_POLICIES_X_DELAY} as the environment does. */
        private static boolean touchesRetry(Set<String> keys) {
            for (String key : keys) {
                String lower = key.toLowerCase(Locale.ROOT);
                if (lower.startsWith("retry.") || lower.startsWith("retry_") || lower.startsWith("retry[")) {
                    return true;
                }
            }
            return false;
        }
    }
}
