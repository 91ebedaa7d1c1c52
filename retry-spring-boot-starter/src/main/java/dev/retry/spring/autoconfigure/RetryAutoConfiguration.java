package dev.retry.spring.autoconfigure;

import dev.retry.spring.config.RetryProperties;
import dev.retry.spring.config.RetrySettings;
import dev.retry.spring.http.HttpRules;
import dev.retry.spring.interceptor.RetryAnnotationBeanPostProcessor;
import dev.retry.spring.interceptor.RetryMethodInterceptor;
import dev.retry.spring.observation.MethodObservers;
import dev.retry.spring.registry.PolicyListeners;
import dev.retry.spring.registry.PolicySource;
import dev.retry.spring.registry.PolicyTime;
import dev.retry.spring.registry.RetryRegistry;
import java.util.concurrent.Executor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Binds {@code retry.*}, resolves it into {@link RetrySettings} (refusing a bad value at start-up),
 * builds the {@link RetryRegistry} of named policies from it, and puts the interceptor in front of
 * every bean whose methods carry {@code retry}'s annotations, unless {@code retry.mode} leaves them
 * to the aspect woven into the classes ({@link RetryMode}).
 */
@AutoConfiguration(after = TaskExecutionAutoConfiguration.class)
@ImportRuntimeHints(RetryAutoConfiguration.RetryPropertiesBindingHints.class)
public final class RetryAutoConfiguration {

    /**
     * What binding {@code retry.*} reflects on, for a native image: the hints that {@code
     * @EnableConfigurationProperties} would register, since the settings bind {@link RetryProperties}
     * themselves.
     */
    static final class RetryPropertiesBindingHints extends BindableRuntimeHintsRegistrar {

        RetryPropertiesBindingHints() {
            super(RetryProperties.class);
        }
    }

    /**
     * Never lazy, not even with {@code spring.main.lazy-initialization}: a bad value must stop the
     * start-up, not the first call that happens to need the settings. Binds {@code retry.*} itself
     * rather than through a {@code @ConfigurationProperties} bean, whose binding would stop at the
     * first value Spring cannot convert, with Spring's words instead of ours.
     *
     * @param resourceLoader the application's, whose class loader finds the exception classes named
     *     in the configuration
     * @param environment where the keys written under {@code retry} are checked against those it reads
     */
    @Bean
    @ConditionalOnMissingBean
    @Lazy(false)
    RetrySettings retrySettings(ResourceLoader resourceLoader, Environment environment) {
        return RetrySettings.bind(environment, resourceLoader.getClassLoader());
    }

    /**
     * @param applicationTaskExecutor Spring Boot's, where hedged attempts run (on virtual threads
     *     when {@code spring.threads.virtual.enabled=true}); the interceptor hands each attempt the
     *     caller's logging context
     * @param time the clock the policies run on, when a bean says so (retry-test's virtual clock);
     *     otherwise the system's
     */
    @Bean
    @ConditionalOnMissingBean
    @Lazy(false)
    RetryRegistry retryRegistry(
            RetrySettings settings,
            ObjectProvider<PolicyListeners> listeners,
            @Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME)
                    ObjectProvider<Executor> applicationTaskExecutor,
            ObjectProvider<PolicyTime> time) {
        Executor executor = applicationTaskExecutor.getIfAvailable();
        return new RetryRegistry(
                settings,
                listeners.orderedStream().toList(),
                executor,
                HttpRules.forClassPath(),
                time.getIfAvailable());
    }

    /**
     * {@code retry.mode}, checked at start-up: a value that names no mode, or {@code aspectj} without
     * {@code retry-aspectj}, stops it.
     */
    @Bean
    @ConditionalOnMissingBean
    @Lazy(false)
    RetryMode retryMode(RetrySettings settings, Environment environment, ResourceLoader resourceLoader) {
        RetryProperties properties = boundProperties(settings, environment);
        return RetryMode.checked(properties.getMode(), resourceLoader.getClassLoader());
    }

    /**
     * Static, as a post-processor must be, and given the registry and the observations lazily, so
     * that creating it early pulls no other bean forward. Not there with {@code retry.mode: aspectj},
     * where the woven aspect intercepts the methods instead.
     *
     * @param observers the observations of each method's calls, when {@link
     *     RetryObservationAutoConfiguration} made them; otherwise none
     */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(RetryMode.NotAspectJ.class)
    static RetryAnnotationBeanPostProcessor retryAnnotationBeanPostProcessor(
            ObjectProvider<PolicySource> policies, ObjectProvider<MethodObservers> observers) {
        return new RetryAnnotationBeanPostProcessor(new RetryMethodInterceptor(
                new LazyPolicySource(policies), () -> observers.getIfAvailable(() -> MethodObservers.NONE)));
    }

    /**
     * The {@code retry.*} keys as written, for the few that are not policy settings ({@code mode},
     * {@code events}). Read after {@code settings}, which has already refused any bad value with its
     * one message.
     */
    static RetryProperties boundProperties(RetrySettings settings, Environment environment) {
        return Binder.get(environment).bindOrCreate("retry", RetryProperties.class);
    }
}
