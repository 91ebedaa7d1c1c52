package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.retry.test.VirtualClock;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A call whose first attempt succeeds must allocate nothing beyond what the call itself does.
 *
 * <p>Counts the bytes this thread allocates over many calls, which the JVM tracks exactly; it
 * measures no time. Speed is the benchmarks' business.
 *
 * <p>The one exception is the timeout, which cannot bound a call without arming a timer: it
 * allocates its deadline, a single small object (24 bytes with compressed pointers) that is also the
 * task it hands the scheduler, and whatever the scheduler allocates for a timer, when the scheduler
 * is one of the user's own (a test's virtual one); the test below uses one that allocates nothing, to
 * pin the timeout's own share. On the real clock and timer a timeout allocates nothing: its deadline
 * is a slot of the thread's own that a watchdog thread watches ({@link TimeoutWatchdog}).
 */
class HappyPathAllocationTest {

    private static final int CALLS = 200_000;

    private final VirtualClock time = new VirtualClock();

    @Test
    void aFirstAttemptSuccessAllocatesNothing() throws Exception {
        RetryPolicy retry = RetryPolicy.builder().ticker(time).sleeper(time).build();
        assertAllocatesNothingPerCall(retry);
    }

    @Test
    void aFirstAttemptSuccessAllocatesNothingWithABudgetAndATimeLimitToo() throws Exception {
        RetryPolicy retry = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .budget(0.1, 10)
                .maxDuration(java.time.Duration.ofSeconds(5))
                .build();
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
        RetryPolicy retry = RetryPolicy.builder()
                .ticker(ticking)
                .sleeper(time)
                .maxAttempts(4)
                .adaptive(1)
                .budget(0.1, 10)
                .build();
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

    @Test
    void aCallThroughABulkheadWithAFreePermitAllocatesNothing() throws Exception {
        assertAllocatesNothingPerCall(
                BulkheadPolicy.builder().maxConcurrentCalls(1).build()::call);
        assertAllocatesNothingPerCall(BulkheadPolicy.builder()
                .maxWait(java.time.Duration.ofSeconds(1))
                .listener(new BulkheadListener() {})
                .build()::call);
    }

    @Test
    void aFirstAttemptSuccessThroughRetryBulkheadAndCircuitBreakerAllocatesNothing() throws Exception {
        Pipeline pipeline = Pipeline.builder()
                .retry(RetryPolicy.builder().ticker(time).sleeper(time).build())
                .bulkhead(BulkheadPolicy.builder().build())
                .circuitBreaker(CircuitBreakerPolicy.builder().ticker(time).build())
                .build();
        assertAllocatesNothingPerCall(pipeline::call);
    }

    @Test
    void aTimedCallAllocatesOnlyItsDeadlineWhichIsTheTimersTask() throws Exception {
        TimeoutPolicy timeout = TimeoutPolicy.builder()
                .scheduler(new SilentScheduler())
                .ticker(time)
                .listener((name, outcome, nanos) -> {})
                .build();
        assertAllocatesPerCallAtMost(timeout::call, 32);
        Pipeline pipeline = Pipeline.builder()
                .retry(RetryPolicy.builder().ticker(time).sleeper(time).build())
                .bulkhead(BulkheadPolicy.builder().build())
                .circuitBreaker(CircuitBreakerPolicy.builder().ticker(time).build())
                .timeout(TimeoutPolicy.builder()
                        .scheduler(new SilentScheduler())
                        .ticker(time)
                        .build())
                .build();
        assertAllocatesPerCallAtMost(pipeline::call, 32);
    }

    /**
     * On the real clock and timer, the way applications run, a deadline is a slot of the calling
     * thread's own, armed and disarmed in place: a timeout that never fires allocates nothing.
     */
    @Test
    void aTimedCallOnTheSystemClockThatNeverTimesOutAllocatesNothing() throws Exception {
        assertAllocatesNothingPerCall(TimeoutPolicy.builder().build()::call);
        assertAllocatesNothingPerCall(
                TimeoutPolicy.builder().listener((name, outcome, nanos) -> {}).build()::call);
        assertAllocatesNothingPerCall(Pipeline.builder()
                .retry(RetryPolicy.builder().ticker(time).sleeper(time).build())
                .bulkhead(BulkheadPolicy.builder().build())
                .circuitBreaker(CircuitBreakerPolicy.builder().ticker(time).build())
                .timeout(TimeoutPolicy.builder().build())
                .build()::call);
    }

    /**
     * An asynchronous hedge whose primary answers at once: the execution, which is also the future
     * the caller gets, is the one object of ours (some 100 bytes). It used to be a result future, a
     * completion hook, an array for the stages and a fresh idempotency key besides (456 bytes).
     */
    @Test
    void anAsynchronousHedgeWhosePrimaryWinsAllocatesOnlyTheFutureItReturns() {
        HedgePolicy hedge = HedgePolicy.builder()
                .delay(java.time.Duration.ofMillis(100))
                .maxHedges(1)
                .build();
        java.util.concurrent.CompletableFuture<String> answered =
                java.util.concurrent.CompletableFuture.completedFuture("order-7");
        java.util.function.Supplier<java.util.concurrent.CompletionStage<String>> call = () -> answered;
        com.sun.management.ThreadMXBean threads = threadBean();
        long length = 0;
        for (int i = 0; i < CALLS; i++) { // warm up
            length += hedge.callAsync(call).join().length();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            length += hedge.callAsync(call).join().length();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(length).isEqualTo(2L * CALLS * "order-7".length());
        assertThat(allocated)
                .as("bytes allocated by %d calls: one object of at most 112 bytes each", CALLS)
                .isLessThan(112L * CALLS + 64 * 1024);
    }

    /** Keeps the last task (so that it really escapes, as with a real timer) and allocates nothing. */
    private static final class SilentScheduler implements Scheduler {

        private Runnable pending;
        private final Cancellable cancel = () -> pending = null;

        @Override
        public Cancellable schedule(Runnable task, long delayNanos) {
            pending = task;
            return cancel;
        }
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
        long allocated = allocatedByCalls(retry);
        // A handful of bytes of slack for the measurement itself; one object per call would be 3 MB or more.
        assertThat(allocated).as("bytes allocated by %d calls", CALLS).isLessThan(64 * 1024);
    }

    private static void assertAllocatesPerCallAtMost(Caller caller, int bytesPerCall) throws Exception {
        long allocated = allocatedByCalls(caller);
        assertThat(allocated)
                .as("bytes allocated by %d calls", CALLS)
                .isLessThan((long) bytesPerCall * CALLS + 64 * 1024);
    }

    private static long allocatedByCalls(Caller retry) throws Exception {
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
