package dev.retry.benchmarks;

import dev.retry.benchmarks.AnnotatedServices.Intercepted;
import dev.retry.spring.config.RetrySettings;
import dev.retry.spring.http.HttpRules;
import dev.retry.spring.interceptor.RetryAnnotationBeanPostProcessor;
import dev.retry.spring.interceptor.RetryMethodInterceptor;
import dev.retry.spring.registry.RetryRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import io.github.resilience4j.common.retry.configuration.CommonRetryConfigurationProperties;
import io.github.resilience4j.spring6.circuitbreaker.configure.CircuitBreakerConfiguration;
import io.github.resilience4j.spring6.circuitbreaker.configure.CircuitBreakerConfigurationProperties;
import io.github.resilience4j.spring6.retry.configure.RetryConfiguration;
import io.github.resilience4j.spring6.retry.configure.RetryConfigurationProperties;
import java.util.List;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;
import org.springframework.context.annotation.Import;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.retry.annotation.EnableRetry;

/**
 * The smallest application context each variant of {@link AnnotationBenchmark} needs: Spring
 * Framework alone, no Spring Boot, and nothing but the variant's own infrastructure and its bean.
 */
final class AnnotationContexts {

    private AnnotationContexts() {}

    /** Starts the context of {@code variant}; the caller closes it. */
    static AnnotationConfigApplicationContext start(String variant) {
        switch (variant) {
            case "plain":
                return new AnnotationConfigApplicationContext(AnnotatedServices.Plain.class);
            case "noopInterceptor":
                return new AnnotationConfigApplicationContext(
                        NoopInterception.class, AnnotatedServices.NoopIntercepted.class);
            case "retry":
                return new AnnotationConfigApplicationContext(
                        RetryAnnotations.class, AnnotatedServices.RetryRetryable.class);
            case "retryBreaker":
                return new AnnotationConfigApplicationContext(
                        RetryAnnotations.class, AnnotatedServices.RetryRetryableBreaker.class);
            case "springRetryable":
                return new AnnotationConfigApplicationContext(
                        SpringResilientMethods.class, AnnotatedServices.SpringRetryable.class);
            case "springRetry":
                return new AnnotationConfigApplicationContext(
                        SpringRetry.class, AnnotatedServices.SpringRetryRetryable.class);
            case "resilience4jRetry":
                return new AnnotationConfigApplicationContext(
                        Resilience4jAnnotations.class, AnnotatedServices.Resilience4jRetry.class);
            case "resilience4jBreaker":
                return new AnnotationConfigApplicationContext(
                        Resilience4jAnnotations.class, AnnotatedServices.Resilience4jBreaker.class);
            case "resilience4jRetryBreaker":
                return new AnnotationConfigApplicationContext(
                        Resilience4jAnnotations.class, AnnotatedServices.Resilience4jRetryBreaker.class);
            default:
                throw new IllegalArgumentException("no such variant in this benchmark: " + variant);
        }
    }

    /** Whether {@code variant} retries, so that its probe must succeed on the second attempt. */
    static boolean retries(String variant) {
        switch (variant) {
            case "retry":
            case "retryBreaker":
            case "springRetryable":
            case "springRetry":
            case "resilience4jRetry":
            case "resilience4jRetryBreaker":
                return true;
            default:
                return false;
        }
    }

    /**
     * {@code retry}'s interceptor as the starter wires it, from the built-in defaults, without the
     * starter's auto-configuration (and so without meters: no variant has any).
     */
    @Configuration(proxyBeanMethods = false)
    static class RetryAnnotations {

        @Bean
        static RetryAnnotationBeanPostProcessor retryAnnotationBeanPostProcessor() {
            // With the HTTP rules, as the auto-configuration wires them when spring-web is present.
            RetryRegistry registry =
                    new RetryRegistry(RetrySettings.defaults(), List.of(), null, HttpRules.forClassPath());
            return new RetryAnnotationBeanPostProcessor(new RetryMethodInterceptor(registry));
        }
    }

    /**
     * The floor: a proxy made the way {@code retry}'s is (an advising post-processor, an annotation
     * pointcut, a {@code MethodInterceptor}), whose interceptor only proceeds. What is left above it is
     * the cost of the policies themselves.
     */
    @Configuration(proxyBeanMethods = false)
    static class NoopInterception {

        @Bean
        static NoopInterceptorPostProcessor noopInterceptorPostProcessor() {
            return new NoopInterceptorPostProcessor();
        }
    }

    static final class NoopInterceptorPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

        private static final long serialVersionUID = 1L;

        NoopInterceptorPostProcessor() {
            this.advisor = new DefaultPointcutAdvisor(
                    AnnotationMatchingPointcut.forMethodAnnotation(Intercepted.class), new NoopInterceptor());
            setBeforeExistingAdvisors(true);
        }
    }

    static final class NoopInterceptor implements MethodInterceptor {

        @Override
        public Object invoke(MethodInvocation invocation) throws Throwable {
            return invocation.proceed();
        }
    }

    /** Spring Framework 7's own {@code @Retryable}. */
    @Configuration(proxyBeanMethods = false)
    @EnableResilientMethods
    static class SpringResilientMethods {}

    /** Spring Retry's {@code @Retryable}; {@code @EnableRetry} brings its AspectJ-style auto-proxying. */
    @Configuration(proxyBeanMethods = false)
    @EnableRetry
    static class SpringRetry {}

    /**
     * Resilience4j's aspects, from its Spring 6 module's own configuration classes, given the
     * configuration properties that its Spring Boot starter would bind from YAML: retry and breaker
     * {@code default} configs alike ours.
     */
    @Configuration(proxyBeanMethods = false)
    @EnableAspectJAutoProxy
    @Import({RetryConfiguration.class, CircuitBreakerConfiguration.class})
    static class Resilience4jAnnotations {

        @Bean
        RetryConfigurationProperties retryConfigurationProperties() {
            RetryConfigurationProperties properties = new RetryConfigurationProperties();
            CommonRetryConfigurationProperties.InstanceProperties defaults =
                    new CommonRetryConfigurationProperties.InstanceProperties()
                            .setMaxAttempts(CoreCalls.MAX_ATTEMPTS)
                            .setWaitDuration(CoreCalls.DELAY)
                            .setEnableExponentialBackoff(true)
                            .setExponentialBackoffMultiplier(CoreCalls.MULTIPLIER)
                            .setExponentialMaxWaitDuration(CoreCalls.MAX_DELAY)
                            .setEnableRandomizedWait(true)
                            .setRandomizedWaitFactor(CoreCalls.JITTER_FACTOR);
            properties.getConfigs().put("default", defaults);
            return properties;
        }

        @Bean
        CircuitBreakerConfigurationProperties circuitBreakerConfigurationProperties() {
            CircuitBreakerConfigurationProperties properties = new CircuitBreakerConfigurationProperties();
            CommonCircuitBreakerConfigurationProperties.InstanceProperties defaults =
                    new CommonCircuitBreakerConfigurationProperties.InstanceProperties()
                            .setSlidingWindowType(SlidingWindowType.COUNT_BASED)
                            .setSlidingWindowSize(CoreCalls.WINDOW)
                            .setMinimumNumberOfCalls(CoreCalls.MINIMUM_CALLS)
                            .setFailureRateThreshold((float) CoreCalls.FAILURE_RATE_PERCENT)
                            .setWaitDurationInOpenState(CoreCalls.OPEN_DURATION)
                            .setPermittedNumberOfCallsInHalfOpenState(CoreCalls.HALF_OPEN_CALLS);
            properties.getConfigs().put("default", defaults);
            return properties;
        }
    }
}
