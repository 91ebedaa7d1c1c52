package dev.retry.spring.observation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Retryable;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryObservationAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Observations that record nothing cost nothing: with no {@link ObservationRegistry}, with {@link
 * ObservationRegistry#NOOP}, or with a registry that has no handler, an annotated call allocates
 * exactly what it does without observations. Counts the bytes the calling thread allocates, which
 * the JVM tracks exactly; it measures no time.
 */
class ObservationCostTests {

    private static final int CALLS = 50_000;

    /**
     * Slack per call for the measurement itself (the JIT compiles each context's proxy on its own);
     * one observation per call is hundreds of bytes, checked below to be seen.
     */
    private static final long SLACK_PER_CALL = 8;

    private static long withoutObservations;

    private static final ApplicationContextRunner RUNNER = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(RetryAutoConfiguration.class, RetryObservationAutoConfiguration.class))
            .withBean(Quotes.class);

    public static class Quotes {

        private final AtomicLong served = new AtomicLong();

        @Retryable
        @CircuitBreaker
        public long quote() {
            return served.incrementAndGet();
        }
    }

    @BeforeAll
    static void measureWithoutAnyRegistry() {
        withoutObservations = bytesPerCall(RUNNER);
    }

    @Test
    void aNoopRegistryAddsNothingToACall() {
        long perCall = bytesPerCall(RUNNER.withBean(ObservationRegistry.class, () -> ObservationRegistry.NOOP));

        assertThat(perCall).isLessThanOrEqualTo(withoutObservations + SLACK_PER_CALL);
    }

    @Test
    void aRegistryWithoutAHandlerAddsNothingToACall() {
        Supplier<ObservationRegistry> handlerless = ObservationRegistry::create;
        long perCall = bytesPerCall(RUNNER.withBean(ObservationRegistry.class, handlerless));

        assertThat(perCall).isLessThanOrEqualTo(withoutObservations + SLACK_PER_CALL);
    }

    /** The measurement sees an observation: what keeps the tests above from passing by accident. */
    @Test
    void aRegistryThatRecordsIsSeenToCostAllocations() {
        long perCall = bytesPerCall(RUNNER.withBean(ObservationRegistry.class, () -> {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(context -> true); // handles all, keeps nothing
            return registry;
        }));

        assertThat(perCall).isGreaterThan(withoutObservations + 100);
    }

    private static long bytesPerCall(ApplicationContextRunner runner) {
        long[] perCall = new long[1];
        runner.run(context -> {
            Quotes quotes = context.getBean(Quotes.class);
            perCall[0] = measure(quotes);
        });
        return perCall[0];
    }

    private static long measure(Quotes quotes) {
        com.sun.management.ThreadMXBean threads = threadBean();
        long sum = 0;
        for (int i = 0; i < CALLS; i++) { // warm up: class loading, the JIT, the thread's first context
            sum += quotes.quote();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            sum += quotes.quote();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isPositive();
        return allocated / CALLS;
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "this JVM does not count allocated bytes");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(threads.isThreadAllocatedMemorySupported(), "this JVM does not count allocated bytes");
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }
}
