package dev.retry.test.spring;

import dev.retry.spring.events.RecentEvents;
import dev.retry.spring.registry.PolicyTime;
import dev.retry.spring.registry.RetryRegistry;
import dev.retry.test.VirtualClock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans {@link VirtualTime} adds: one clock, the {@link PolicyTime} that hands it to the
 * starter's registry, and the {@link RetryTestKit} that records and resets.
 */
@Configuration(proxyBeanMethods = false)
public class VirtualTimeConfiguration {

    @Bean
    VirtualClock retryVirtualClock() {
        return new VirtualClock();
    }

    @Bean
    PolicyTime retryPolicyTime(VirtualClock retryVirtualClock) {
        return new PolicyTime(retryVirtualClock, retryVirtualClock, retryVirtualClock);
    }

    @Bean
    RetryTestKit retryTestKit(
            VirtualClock retryVirtualClock,
            ObjectProvider<RetryRegistry> registry,
            ObjectProvider<RecentEvents> recentEvents) {
        return new RetryTestKit(retryVirtualClock, registry::getObject, recentEvents::getIfAvailable);
    }
}
