package dev.retry.benchmarks;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The bean of each variant of {@link AnnotationBenchmark}: the same method under each library's
 * annotations, configured alike (3 attempts; a breaker with a count window of 100 calls opening at
 * 50 % after 20, as in {@link CoreCalls}).
 *
 * <p>None implements an interface, so every library's proxy is a class-based (CGLIB) one, as under
 * Spring Boot, whose default is to proxy classes.
 */
final class AnnotatedServices {

    private AnnotatedServices() {}

    /**
     * What every variant's bean does; {@link AnnotationBenchmark} calls it through this type.
     *
     * <p>{@link #probe} carries the same annotations as {@link #call} and fails on its first call
     * only, so that the benchmark's set-up can prove the annotations are at work: a retrying variant
     * answers it, any other throws.
     */
    public abstract static class Service {

        private int probes;

        public abstract String call(String request);

        public abstract String probe();

        final String failFirstTime() {
            if (probes++ == 0) {
                throw new IllegalStateException("the first call of probe() fails");
            }
            return "ok";
        }
    }

    /** Marks the methods that the no-op interceptor of the floor variant wraps. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface Intercepted {}

    public static class Plain extends Service {

        @Override
        public String call(String request) {
            return Downstream.call(request);
        }

        @Override
        public String probe() {
            return failFirstTime();
        }
    }

    public static class NoopIntercepted extends Service {

        @Intercepted
        @Override
        public String call(String request) {
            return Downstream.call(request);
        }

        @Intercepted
        @Override
        public String probe() {
            return failFirstTime();
        }
    }

    /** Ours: the {@code default} policy, 3 attempts. */
    public static class RetryRetryable extends Service {

        @dev.retry.annotation.Retryable
        @Override
        public String call(String request) {
            return Downstream.call(request);
        }

        @dev.retry.annotation.Retryable
        @Override
        public String probe() {
            return failFirstTime();
        }
    }

    /** Ours: the {@code default} policy around a breaker of the method's own, {@code default} config. */
    public static class RetryRetryableBreaker extends Service {

        @dev.retry.annotation.Retryable
        @dev.retry.annotation.CircuitBreaker
        @Override
        public String call(String request) {
            return Downstream.call(request);
        }

        @dev.retry.annotation.Retryable
        @dev.retry.annotation.CircuitBreaker
        @Override
        public String probe() {
            return failFirstTime();
        }
    }

    /** Spring Framework 7, {@code org.springframework.resilience.annotation}: retries, not attempts. */
    public static class SpringRetryable extends Service {

        @org.springframework.resilience.annotation.Retryable(
                maxRetries = 2,
                delay = 100,
                multiplier = 2,
                maxDelay = 10_000,
                jitter = 50)
        @Override
        public String call(String request) {
            return Downstream.call(request);
        }

        @org.springframework.resilience.annotation.Retryable(
                maxRetries = 2,
                delay = 100,
                multiplier = 2,
                maxDelay = 10_000,
                jitter = 50)
        @Override
        public String probe() {
            return failFirstTime();
        }
    }

    /** Spring Retry 2.0, {@code org.springframework.retry.annotation}. */
    public static class SpringRetryRetryable extends Service {

        @org.springframework.retry.annotation.Retryable(
                maxAttempts = 3,
                backoff =
                        @org.springframework.retry.annotation.Backoff(
                                delay = 100,
                                multiplier = 2,
                                maxDelay = 10_000,
                                random = true))
        @Override
        public String call(String request) {
            return Downstream.call(request);
        }

        @org.springframework.retry.annotation.Retryable(
                maxAttempts = 3,
                backoff =
                        @org.springframework.retry.annotation.Backoff(
                                delay = 100,
                                multiplier = 2,
                                maxDelay = 10_000,
                                random = true))
        @Override
        public String probe() {
            return failFirstTime();
        }
    }

    /**
     * Resilience4j: the measured method's instances are named {@code backend} and the probe's {@code
     * probe}, so that the probe's failure stays out of the measured breaker's window (ours and the
     * no-op variants keep them apart by method). All take Resilience4j's {@code default} config.
     */
    public static class Resilience4jRetry extends Service {

        @io.github.resilience4j.retry.annotation.Retry(name = "backend")
        @Override
        public String call(String request) {
            return Downstream.call(request);
        }

        @io.github.resilience4j.retry.annotation.Retry(name = "probe")
        @Override
        public String probe() {
            return failFirstTime();
        }
    }

    public static class Resilience4jBreaker extends Service {

        @io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "backend")
        @Override
        public String call(String request) {
            return Downstream.call(request);
        }

        @io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "probe")
        @Override
        public String probe() {
            return failFirstTime();
        }
    }

    /** Resilience4j's aspects order themselves: the retry outside the breaker, as ours. */
    public static class Resilience4jRetryBreaker extends Service {

        @io.github.resilience4j.retry.annotation.Retry(name = "backend")
        @io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "backend")
        @Override
        public String call(String request) {
            return Downstream.call(request);
        }

        @io.github.resilience4j.retry.annotation.Retry(name = "probe")
        @io.github.resilience4j.circuitbreaker.annotation.CircuitBreaker(name = "probe")
        @Override
        public String probe() {
            return failFirstTime();
        }
    }
}
