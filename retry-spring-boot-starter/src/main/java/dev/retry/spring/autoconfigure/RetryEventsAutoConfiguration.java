package dev.retry.spring.autoconfigure;

import dev.retry.core.Ticker;
import dev.retry.spring.config.RetryProperties;
import dev.retry.spring.config.RetrySettings;
import dev.retry.spring.events.RecentEvents;
import dev.retry.spring.registry.PolicyTime;
import dev.retry.spring.registry.RetryRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The recent events of every policy the registry builds ({@code retry.events.buffer-size} of them per
 * name), which the {@code retryevents} endpoint serves. A buffer size out of range stops the
 * start-up with one message naming the key and what it allows.
 */
@AutoConfiguration(after = RetryAutoConfiguration.class)
@ConditionalOnBean(RetryRegistry.class)
public final class RetryEventsAutoConfiguration {

    /**
     * @param time the policies' clock when a bean says so (retry-test's virtual one), so that the
     *     events are dated on it too
     */
    @Bean
    @ConditionalOnMissingBean
    RecentEvents recentEvents(RetrySettings settings, Environment environment, ObjectProvider<PolicyTime> time) {
        RetryProperties properties = RetryAutoConfiguration.boundProperties(settings, environment);
        PolicyTime policyTime = time.getIfAvailable();
        Ticker ticker = policyTime != null ? policyTime.ticker() : Ticker.system();
        return new RecentEvents(properties.getEvents().getBufferSize(), ticker, Clock.systemUTC());
    }
}
