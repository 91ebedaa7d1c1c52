package dev.retry.aspectj.autoconfigure;

import dev.retry.spring.autoconfigure.LazyPolicySource;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryMode;
import dev.retry.spring.interceptor.RetryMethodInterceptor;
import dev.retry.spring.observation.MethodObservers;
import dev.retry.spring.registry.PolicySource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Connects the woven {@link dev.retry.aspectj.RetryAspect} to the running application: with {@code
 * retry.mode: aspectj}, every woven call, on a bean or on an object built with {@code new}, uses the
 * application's policies, meters and listeners, and every bean's annotated methods are checked while
 * it is created, as the proxy path checks them; a bean whose annotated method is not woven stops the
 * start-up. With {@code retry.mode: proxy} the starter proxies the beans, and a bean whose annotated
 * method is woven as well stops the start-up, so that no call is handled twice.
 */
@AutoConfiguration(after = RetryAutoConfiguration.class)
public final class RetryAspectAutoConfiguration {

    /**
     * Static, and given the policies and the observations lazily, as the starter's post-processor is,
     * so that the aspect is connected before any other bean is created and calls the woven methods.
     */
    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static RetryAspectConnector retryAspectConnector(
            ObjectProvider<PolicySource> policies, ObjectProvider<MethodObservers> observers, Environment environment) {
        RetryMode mode = RetryMode.parse(environment.getProperty(RetryMode.PROPERTY));
        // A value that names no mode is refused by the starter with its own message; until then the
        // proxies it leaves in place are what this connector checks against.
        return new RetryAspectConnector(
                new RetryMethodInterceptor(
                        new LazyPolicySource(policies), () -> observers.getIfAvailable(() -> MethodObservers.NONE)),
                mode == RetryMode.ASPECTJ);
    }
}
