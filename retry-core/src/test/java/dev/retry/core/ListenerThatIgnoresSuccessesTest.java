package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.retry.test.VirtualClock;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A listener that hears only retries and failures (as the starter's recent events do) costs a
 * successful call nothing: the policy builds no event for a success nobody hears, and still tells
 * every event to the listeners that do hear successes. Likewise a hedging policy for a call whose
 * primary wins.
 */
class ListenerThatIgnoresSuccessesTest {

    private static final int CALLS = 200_000;

    private final VirtualClock time = new VirtualClock();

    private final List<String> heard = new ArrayList<>();

    /** Hears everything but successes. */
    private final RetryListener retriesAndFailures = new RetryListener() {
        @Override
        public void onRetry(RetryEvent event) {
            heard.add("retry " + event.attempts());
        }

        @Override
        public void onFailure(RetryEvent event) {
            heard.add("failure " + event.attempts());
        }
    };

    @Test
    void aFirstAttemptSuccessAllocatesNothingWhenTheOnlyListenerIgnoresSuccesses() {
        RetryPolicy retry = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .listener(retriesAndFailures)
                .build();
        com.sun.management.ThreadMXBean threads = threadBean();
        CheckedFunction<String, Integer, RuntimeException> call = String::length;
        long sum = 0;
        for (int i = 0; i < CALLS; i++) {
            sum += retry.call(call, "order-7");
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CALLS; i++) {
            sum += retry.call(call, "order-7");
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum).isEqualTo(2L * CALLS * 7);
        // One event per call would be 8 MB or more; a few bytes are the measurement's own.
        assertThat(allocated).as("bytes allocated by %d calls", CALLS).isLessThan(64 * 1024);
        assertThat(heard).isEmpty();
    }

    @Test
    void theListenerStillHearsRetriesAndFailuresAndAnotherListenerStillHearsSuccesses() {
        List<Integer> successes = new ArrayList<>();
        RetryPolicy retry = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .maxAttempts(2)
                .listener(retriesAndFailures)
                .listener(new RetryListener() {
                    @Override
                    public void onSuccess(RetryEvent event) {
                        successes.add(event.attempts());
                    }
                })
                .build();
        int[] calls = {0};
        assertThat(retry.call(() -> {
                    if (calls[0]++ == 0) {
                        throw new IllegalStateException("first");
                    }
                    return "ok";
                }))
                .isEqualTo("ok");
        assertThat(heard).containsExactly("retry 1");
        assertThat(successes).containsExactly(2);
    }

    @Test
    void anAsynchronousSuccessIsToldOnlyToListenersThatHearSuccesses() throws Exception {
        List<Integer> successes = new ArrayList<>();
        RetryPolicy ignoring = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .listener(retriesAndFailures)
                .build();
        assertThat(ignoring.callAsync(() -> CompletableFuture.completedFuture("ok"))
                        .get())
                .isEqualTo("ok");
        RetryPolicy hearing = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .scheduler(time)
                .listener(new RetryListener() {
                    @Override
                    public void onSuccess(RetryEvent event) {
                        successes.add(event.attempts());
                    }
                })
                .build();
        assertThat(hearing.callAsync(() -> CompletableFuture.completedFuture("ok"))
                        .get())
                .isEqualTo("ok");
        assertThat(heard).isEmpty();
        assertThat(successes).containsExactly(1);
    }

    /**
     * A hedged call allocates for itself (its attempts, its result), so the test compares: a listener
     * that hears the primary's win costs each such call at least its event, one that does not, none.
     */
    @Test
    void aHedgedCallWhosePrimaryWinsBuildsNoEventWhenNoListenerHearsPrimaryWins() throws Exception {
        HedgeEvent[] lastHeard = {null};
        int[] primaryWins = {0};
        HedgeListener hearsWins = new HedgeListener() {
            @Override
            public void onPrimaryWon(HedgeEvent event) {
                lastHeard[0] = event; // kept, so that the event cannot be optimised away
                primaryWins[0]++;
            }
        };
        HedgeListener hearsHedgesOnly = new HedgeListener() {
            @Override
            public void onHedgeStarted(HedgeEvent event) {
                heard.add("hedge " + event.attempts());
            }
        };
        long withWins = allocatedByHedgedCalls(hearsWins);
        long withoutWins = allocatedByHedgedCalls(hearsHedgesOnly);
        assertThat(primaryWins[0]).isEqualTo(2 * HEDGED_CALLS);
        assertThat(lastHeard[0].winner()).isEqualTo(1);
        assertThat(heard).isEmpty();
        // An event is at least 24 bytes; half of that per call is far beyond the measurement's noise.
        assertThat(withWins - withoutWins)
                .as("bytes the primary's win events took over %d calls", HEDGED_CALLS)
                .isGreaterThan(12L * HEDGED_CALLS);
    }

    private static final int HEDGED_CALLS = 50_000;

    private long allocatedByHedgedCalls(HedgeListener listener) throws Exception {
        HedgePolicy hedge = HedgePolicy.builder()
                .ticker(time)
                .scheduler(time)
                .executor(Runnable::run) // the primary answers before the caller waits
                .delay(java.time.Duration.ofSeconds(10))
                .listener(listener)
                .build();
        com.sun.management.ThreadMXBean threads = threadBean();
        CheckedSupplier<String, RuntimeException> call = () -> "fast";
        for (int i = 0; i < HEDGED_CALLS; i++) {
            hedge.call(call);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < HEDGED_CALLS; i++) {
            hedge.call(call);
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
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
