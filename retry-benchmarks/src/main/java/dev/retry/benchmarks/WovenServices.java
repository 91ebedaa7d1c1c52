package dev.retry.benchmarks;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Retryable;

/**
 * The beans of {@link WovenCallBenchmark}'s woven variants: the only classes of the benchmarks that
 * ajc weaves with {@code retry-aspectj} (see the module's pom.xml). The same annotations as {@link
 * AnnotatedServices.RetryRetryableBreaker}, the built-in {@code default} policy around a breaker of
 * the method's own, with the aspect inside the method instead of a proxy around the bean.
 */
final class WovenServices {

    private WovenServices() {}

    /** The annotated method called from outside, as through a proxy. */
    public static class Woven extends AnnotatedServices.Service {

        @Retryable
        @CircuitBreaker
        @Override
        public String call(String request) {
            return Downstream.call(request);
        }

        @Retryable
        @CircuitBreaker
        @Override
        public String probe() {
            return failFirstTime();
        }
    }

    /**
     * The annotated method called through {@code this} by an unannotated one, as a bulk operation calls
     * its per-item method: no proxy could intercept it, the woven aspect does.
     */
    public static class WovenThroughThis extends AnnotatedServices.Service {

        @Override
        public String call(String request) {
            return this.callOnce(request);
        }

        @Override
        public String probe() {
            return this.probeOnce();
        }

        @Retryable
        @CircuitBreaker
        public String callOnce(String request) {
            return Downstream.call(request);
        }

        @Retryable
        @CircuitBreaker
        public String probeOnce() {
            return failFirstTime();
        }
    }
}
