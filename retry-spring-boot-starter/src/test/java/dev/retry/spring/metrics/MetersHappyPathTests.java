package dev.retry.spring.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.retry.core.CheckedFunction;
import dev.retry.core.Pipeline;
import dev.retry.core.Ticker;
import dev.retry.spring.config.RetrySettings;
import dev.retry.spring.registry.FailureRules;
import dev.retry.spring.registry.PolicyTime;
import dev.retry.spring.registry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With the Prometheus registry, the way users run it, a {@code @Retryable @CircuitBreaker} call
 * whose first attempt succeeds allocates nothing for its meters, and the meters' striped counts sum
 * exactly when eight threads share one policy and one breaker: read off the scrape and off the
 * registry after a known number of calls. The policies run on a clock of their own, per thread, that
 * moves exactly 1 ms during each call, so the breaker's total time is known too.
 */
class MetersHappyPathTests {

    private static final int CALLS = 200_000;
    private static final long CALL_NANOS = Duration.ofMillis(1).toNanos();

    /** Each thread's own time, so that concurrent calls each take exactly {@link #CALL_NANOS}. */
    private static final ThreadLocal<long[]> NOW = ThreadLocal.withInitial(() -> new long[] {1L << 40});

    private static final Ticker PER_THREAD_TICKER = () -> NOW.get()[0];

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private final CheckedFunction<String, Integer, RuntimeException> call = request -> {
        NOW.get()[0] += CALL_NANOS;
        return request.length();
    };

    private Pipeline retryAroundBreaker(MeterRegistry registry) {
        RetryRegistry policies = new RetryRegistry(
                RetrySettings.defaults(),
                List.of(new RetryMetrics(registry)),
                null,
                FailureRules.NONE,
                new PolicyTime(PER_THREAD_TICKER, nanos -> NOW.get()[0] += nanos, (task, delay) -> () -> {}));
        return Pipeline.builder()
                .retry(policies.retryPolicies().get("default"))
                .circuitBreaker(policies.circuitBreakers().get("default"))
                .build();
    }

    @Test
    void aFirstAttemptSuccessAllocatesNothingForItsMetersWithThePrometheusRegistry() {
        Pipeline pipeline = retryAroundBreaker(meters);
        com.sun.management.ThreadMXBean threads = threadBean();
        long sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += pipeline.call(call, "order-7");
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            sum += pipeline.call(call, "order-7");
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isEqualTo(2L * CALLS * 7);
        // One event or Duration per call would be 3 MB or more; a few bytes are the measurement's own.
        assertThat(allocated)
                .as("bytes allocated by %d calls with meters on", CALLS)
                .isLessThan(64 * 1024);
        assertThat(meters.get("circuitbreaker.calls")
                        .tags("outcome", "success")
                        .functionTimer()
                        .count())
                .isEqualTo(2.0 * CALLS);
    }

    @Test
    void eightThreadsCallsAreEachCountedAndTimedExactly() throws Exception {
        Pipeline pipeline = retryAroundBreaker(meters);
        int threads = 8;
        int perThread = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Long>> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            callers.add(CompletableFuture.supplyAsync(
                    () -> {
                        await(start);
                        long answered = 0;
                        for (int i = 0; i < perThread; i++) {
                            answered += pipeline.call(call, "order-7");
                        }
                        return answered;
                    },
                    runnable -> new Thread(runnable).start()));
        }
        start.countDown();
        for (CompletableFuture<Long> caller : callers) {
            assertThat(caller.get(2, TimeUnit.MINUTES)).isEqualTo(7L * perThread);
        }
        long calls = (long) threads * perThread;
        assertThat(meters.get("retry.calls")
                        .tags("outcome", "success", "exception", "none")
                        .counter()
                        .count())
                .isEqualTo(calls);
        assertThat(meters.get("retry.call.attempts").summary().count()).isEqualTo(calls);
        assertThat(meters.get("retry.call.attempts").summary().totalAmount()).isEqualTo(calls);
        assertThat(meters.get("circuitbreaker.calls")
                        .tags("outcome", "success")
                        .functionTimer()
                        .count())
                .isEqualTo(calls);
        assertThat(meters.get("circuitbreaker.calls")
                        .tags("outcome", "success")
                        .functionTimer()
                        .totalTime(TimeUnit.NANOSECONDS))
                .as("every call timed at exactly 1 ms")
                .isEqualTo((double) calls * CALL_NANOS);
        String scrape = meters.scrape();
        assertThat(scrape)
                .contains("circuitbreaker_calls_seconds_count{name=\"default\",outcome=\"success\"} " + calls)
                .contains("circuitbreaker_calls_seconds_sum{name=\"default\",outcome=\"success\"} "
                        + (double) calls * CALL_NANOS / 1e9)
                .contains("retry_call_attempts_count{name=\"default\"} " + calls)
                .as("no buckets unless management.metrics.distribution.slo asks for them: they double a record's cost")
                .doesNotContain("retry_call_attempts_bucket")
                .doesNotContain("circuitbreaker_calls_seconds_max");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
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
