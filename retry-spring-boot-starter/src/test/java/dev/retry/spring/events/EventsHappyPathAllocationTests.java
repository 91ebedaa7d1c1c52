package dev.retry.spring.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.retry.core.CheckedFunction;
import dev.retry.core.Pipeline;
import dev.retry.core.Scheduler;
import dev.retry.core.Ticker;
import dev.retry.spring.config.RetrySettings;
import dev.retry.spring.registry.FailureRules;
import dev.retry.spring.registry.PolicyTime;
import dev.retry.spring.registry.RetryRegistry;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With recent events on, a call whose first attempt succeeds still allocates nothing beyond what the
 * call itself does: the policies the registry builds with the events' listeners, retry, bulkhead,
 * circuit breaker and timeout together, measured in bytes this thread allocates (no time measured).
 * The timeout's own deadline is the core's known 24 bytes a call ({@code HappyPathAllocationTest}).
 */
class EventsHappyPathAllocationTests {

    private static final int CALLS = 200_000;

    private long now = 1L << 40;
    private final Ticker ticker = () -> now;
    private final RecentEvents events = new RecentEvents(100, ticker, Clock.systemUTC());

    /** Keeps the last task, as a real timer would, and allocates nothing. */
    private static final class SilentScheduler implements Scheduler {

        private Runnable pending;
        private final Cancellable cancel = () -> pending = null;

        @Override
        public Cancellable schedule(Runnable task, long delayNanos) {
            pending = task;
            return cancel;
        }
    }

    private RetryRegistry registry() {
        return new RetryRegistry(
                RetrySettings.defaults(),
                List.of(events),
                null,
                FailureRules.NONE,
                new PolicyTime(ticker, nanos -> now += nanos, new SilentScheduler()));
    }

    @Test
    void aFirstAttemptSuccessThroughRetryBulkheadAndBreakerAllocatesNothingWithEventsOn() {
        RetryRegistry registry = registry();
        Pipeline pipeline = Pipeline.builder()
                .retry(registry.retryPolicies().get("default"))
                .bulkhead(registry.bulkheads().get("default"))
                .circuitBreaker(registry.circuitBreakers().get("default"))
                .build();
        long allocated = allocatedByCalls(pipeline);
        // One object per call would be 3 MB or more; a few bytes are the measurement's own.
        assertThat(allocated).as("bytes allocated by %d calls", CALLS).isLessThan(64 * 1024);
        assertThat(events.describe().values())
                .allSatisfy(byName -> assertThat(byName.values())
                        .allSatisfy(list -> assertThat(list).isEmpty()));
    }

    @Test
    void aTimedFirstAttemptSuccessAllocatesOnlyTheTimeoutsDeadlineWithEventsOn() {
        RetryRegistry registry = registry();
        Pipeline pipeline = Pipeline.builder()
                .retry(registry.retryPolicies().get("default"))
                .bulkhead(registry.bulkheads().get("default"))
                .circuitBreaker(registry.circuitBreakers().get("default"))
                .timeout(registry.timeoutPolicies().get("default"))
                .build();
        long allocated = allocatedByCalls(pipeline);
        assertThat(allocated).as("bytes allocated by %d calls", CALLS).isLessThan(32L * CALLS + 64 * 1024);
        assertThat(events.events(EventSection.TIMEOUTS, "default").orElseThrow())
                .isEmpty();
    }

    private static long allocatedByCalls(Pipeline pipeline) {
        com.sun.management.ThreadMXBean threads = threadBean();
        String argument = "order-7";
        CheckedFunction<String, Integer, RuntimeException> call = String::length;
        long sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += pipeline.call(call, argument);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            sum += pipeline.call(call, argument);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isEqualTo(2L * CALLS * argument.length());
        return allocated;
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
