package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A call whose first attempt succeeds must allocate nothing beyond what the call itself does.
 *
 * <p>Counts the bytes this thread allocates over many calls, which the JVM tracks exactly; it
 * measures no time. Speed is the benchmarks' business.
 */
class HappyPathAllocationTest {

    private static final int CALLS = 200_000;

    private final VirtualTime time = new VirtualTime();

    @Test
    void aFirstAttemptSuccessAllocatesNothing() throws Exception {
        RetryPolicy retry = RetryPolicy.builder().ticker(time).sleeper(time).build();
        assertAllocatesNothingPerCall(retry);
    }

    @Test
    void aFirstAttemptSuccessAllocatesNothingWithABudgetAndATimeLimitToo() throws Exception {
        RetryPolicy retry = RetryPolicy.builder().ticker(time).sleeper(time).budget(0.1, 10)
                .maxDuration(java.time.Duration.ofSeconds(5)).build();
        assertAllocatesNothingPerCall(retry);
    }

    /**
     * The clock moves a millisecond at every reading, so that the measured calls also slide the
     * adaptive window across hundreds of seconds and take hundreds of steps.
     */
    @Test
    void aFirstAttemptSuccessThroughAnAdaptivePolicyAllocatesNothingAsItsWindowSlidesAndItSteps() throws Exception {
        long[] now = {0L};
        Ticker ticking = () -> now[0] += 1_000_000L;
        RetryPolicy retry = RetryPolicy.builder().ticker(ticking).sleeper(time).maxAttempts(4).adaptive(1)
                .budget(0.1, 10).build();
        assertAllocatesNothingPerCall(retry);
        assertThat(now[0]).as("the clock was read on the happy path").isGreaterThan(400_000_000_000L);
        assertThat(retry.currentMaxAttempts()).isEqualTo(4);
    }

    @Test
    void aFirstAttemptSuccessThroughRetryAndACircuitBreakerAllocatesNothing() throws Exception {
        Pipeline pipeline = Pipeline.builder()
                .retry(RetryPolicy.builder().ticker(time).sleeper(time).build())
                .circuitBreaker(CircuitBreakerPolicy.builder().ticker(time).build())
                .build();
        assertAllocatesNothingPerCall(pipeline::call);
    }

    private static void assertAllocatesNothingPerCall(RetryPolicy retry) throws Exception {
        assertAllocatesNothingPerCall(retry::call);
    }

    /** Something that makes a call through policies: a policy's or a pipeline's {@code call}. */
    private interface Caller {
        <A, T, X extends Throwable> T call(CheckedFunction<? super A, ? extends T, ? extends X> function, A argument)
                throws X;
    }

    private static void assertAllocatesNothingPerCall(Caller retry) throws Exception {
        com.sun.management.ThreadMXBean threads = threadBean();
        String argument = "order-7";
        CheckedFunction<String, Integer, RuntimeException> call = String::length; // allocated once, here
        long sum = 0;
        for (int i = 0; i < CALLS; i++) { // warm up: class loading and the thread's first context
            sum += retry.call(call, argument);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            sum += retry.call(call, argument);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isEqualTo(2L * CALLS * argument.length());
        // A handful of bytes of slack for the measurement itself; one object per call would be 3 MB or more.
        assertThat(allocated).as("bytes allocated by %d calls", CALLS).isLessThan(64 * 1024);
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
