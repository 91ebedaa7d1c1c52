package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The retry budget: how many retries a window grants, as the window slides, under many threads. */
@Timeout(120)
class RetryBudgetTest {

    private final VirtualClock time = new VirtualClock();

    private RetryBudget budget(double ratio, int minRetriesPerSecond) {
        return new RetryBudget(ratio, minRetriesPerSecond, time);
    }

    private static int grant(RetryBudget budget, int tries) {
        int granted = 0;
        for (int i = 0; i < tries; i++) {
            if (budget.tryAcquireRetry()) {
                granted++;
            }
        }
        return granted;
    }

    private static void calls(RetryBudget budget, int count) {
        for (int i = 0; i < count; i++) {
            budget.recordCall();
        }
    }

    @Test
    void aWindowGrantsTheRatioOfItsCallsPlusTheFloor() {
        RetryBudget budget = budget(0.1, 2);
        calls(budget, 1_000);
        // 0.1 x 1000 + 2 per second x 10 s
        assertThat(grant(budget, 500)).isEqualTo(120);
        assertThat(budget.retriesInWindow()).isEqualTo(120);
        assertThat(budget.remainingRetries()).isZero();
    }

    @Test
    void theFloorKeepsARarelyCalledPolicyAbleToRetry() {
        RetryBudget budget = budget(0.1, 1);
        calls(budget, 3);
        assertThat(grant(budget, 50)).isEqualTo(10);
    }

    @Test
    void moreCallsMakeRoomForMoreRetries() {
        RetryBudget budget = budget(0.5, 0);
        calls(budget, 10);
        assertThat(grant(budget, 10)).isEqualTo(5);
        calls(budget, 4);
        assertThat(grant(budget, 10)).isEqualTo(2);
    }

    @Test
    void oldCallsAndRetriesLeaveTheWindowAfterTenSeconds() {
        RetryBudget budget = budget(0.1, 0);
        calls(budget, 100);
        assertThat(grant(budget, 100)).isEqualTo(10);

        time.advance(Duration.ofSeconds(5));
        calls(budget, 50);
        assertThat(grant(budget, 100)).as("the first 10 retries still count").isEqualTo(5);

        time.advance(Duration.ofSeconds(5));
        // The first second has left the window: 50 calls and 5 retries remain in it.
        assertThat(budget.callsInWindow()).isEqualTo(50);
        assertThat(budget.retriesInWindow()).isEqualTo(5);
        assertThat(grant(budget, 100)).isZero();

        time.advance(Duration.ofSeconds(5));
        assertThat(budget.callsInWindow()).isZero();
        assertThat(budget.retriesInWindow()).isZero();
    }

    @Test
    void aRefusedRetryEndsTheCallAtOnceWithItsOwnFailureAndAnEvent() {
        RecordingListener listener = new RecordingListener();
        RetryPolicy retry = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .jitter(Jitter.NONE)
                .maxAttempts(5)
                .budget(0.5, 0)
                .listener(listener)
                .build();
        IOException down = new IOException("down");
        int[] attempts = {0};
        // First call: 1 call in the window, 0.5 retries allowed: none.
        assertThatThrownBy(() -> retry.call(() -> {
                    attempts[0]++;
                    throw down;
                }))
                .isSameAs(down);
        assertThat(attempts[0]).isEqualTo(1);
        assertThat(listener.log).containsExactly("budget:1:BUDGET_EXHAUSTED", "failure:1:BUDGET_EXHAUSTED");

        // Second call: 2 calls, 1 retry allowed; the second retry is refused.
        listener.log.clear();
        attempts[0] = 0;
        assertThatThrownBy(() -> retry.call(() -> {
                    attempts[0]++;
                    throw down;
                }))
                .isSameAs(down);
        assertThat(attempts[0]).isEqualTo(2);
        assertThat(listener.log).containsExactly("retry:1", "budget:2:BUDGET_EXHAUSTED", "failure:2:BUDGET_EXHAUSTED");
    }

    @Test
    void policiesThatShareABudgetDrawOnOneAllowance() {
        RetryBudget shared = RetryBudget.create(1.0, 0, time);
        RetryPolicy threeAttempts = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .maxAttempts(3)
                .sharedBudget(shared)
                .build();
        RetryPolicy fiveAttempts = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .maxAttempts(5)
                .sharedBudget(shared)
                .build();
        int[] attempts = {0};
        CheckedSupplier<String, IOException> down = () -> {
            attempts[0]++;
            throw new IOException("down");
        };
        // Two calls in the window allow two retries in all, whichever policy takes them.
        assertThatThrownBy(() -> threeAttempts.call(down)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> fiveAttempts.call(down)).isInstanceOf(IOException.class);
        assertThat(attempts[0]).isEqualTo(4);
        assertThat(shared.retriesInWindow()).isEqualTo(2);
        assertThat(fiveAttempts.config().budgetRatio()).isEqualTo(1.0);
        assertThatThrownBy(() -> RetryBudget.create(0.0, 1, time))
                .hasMessage("budget.ratio must be a number above 0.0 and at most 100.0, but was 0.0");
    }

    @Test
    void aRetryThatWouldNotHappenAnywayTakesNothingFromTheBudget() {
        RetryPolicy retry = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .maxAttempts(1)
                .budget(1.0, 0)
                .build();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> retry.call(() -> {
                        throw new IOException("down");
                    }))
                    .isInstanceOf(IOException.class);
        }
        assertThat(retry.budget().orElseThrow().retriesInWindow()).isZero();
    }

    @Test
    void manyThreadsAtOnceAreNeverGrantedMoreThanTheWindowAllowsAndNoPermitIsLost() throws Exception {
        RetryBudget budget = budget(0.2, 1);
        int threads = 8;
        int callsPerThread = 500;
        int triesPerThread = 2_000;
        long allowance = (long) (0.2 * threads * callsPerThread) + 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<Integer>> granted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                granted.add(pool.submit(() -> {
                    start.await();
                    int mine = 0;
                    for (int i = 0; i < triesPerThread; i++) {
                        if (i < callsPerThread) {
                            budget.recordCall();
                        }
                        if (budget.tryAcquireRetry()) {
                            mine++;
                        }
                    }
                    return mine;
                }));
            }
            long total = 0;
            for (Future<Integer> future : granted) {
                total += future.get();
            }
            assertThat(total).isLessThanOrEqualTo(allowance);
            assertThat(budget.retriesInWindow())
                    .as("every grant was counted once")
                    .isEqualTo(total);
            assertThat(budget.callsInWindow()).as("no call was lost").isEqualTo((long) threads * callsPerThread);
            // Racing for the last permits may leave some unclaimed, but none is lost for good.
            assertThat(total + grant(budget, 10_000)).isEqualTo(allowance);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Threads hammer the budget through 30 virtual seconds, the clock moving a second at a time
     * between rounds; every 10-second window, checked afterwards from what each round recorded,
     * granted no more than its calls allowed.
     */
    @Test
    void asTheWindowSlidesUnderManyThreadsNoWindowEverGrantsMoreThanItsCallsAllow() throws Exception {
        RetryBudget budget = budget(0.1, 0);
        int threads = 6;
        int seconds = 30;
        AtomicLongArray callsPerSecond = new AtomicLongArray(seconds);
        AtomicLongArray grantsPerSecond = new AtomicLongArray(seconds);
        CyclicBarrier roundStart = new CyclicBarrier(threads);
        CyclicBarrier roundEnd = new CyclicBarrier(threads, () -> time.advance(Duration.ofSeconds(1)));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int worker = t;
                workers.add(pool.submit(() -> {
                    for (int second = 0; second < seconds; second++) {
                        roundStart.await();
                        // Load rises and falls, so that windows of very different sizes slide past.
                        int calls = (second % 7 == 0) ? 400 : 20 + 10 * ((second + worker) % 5);
                        for (int i = 0; i < calls; i++) {
                            budget.recordCall();
                            callsPerSecond.incrementAndGet(second);
                            if (budget.tryAcquireRetry()) {
                                grantsPerSecond.incrementAndGet(second);
                            }
                        }
                        roundEnd.await();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long everGranted = 0;
        for (int end = 0; end < seconds; end++) {
            long calls = 0;
            long grants = 0;
            for (int s = Math.max(0, end - RetryBudget.WINDOW_SECONDS + 1); s <= end; s++) {
                calls += callsPerSecond.get(s);
                grants += grantsPerSecond.get(s);
            }
            assertThat(grants).as("window ending at second %d", end).isLessThanOrEqualTo((long) (0.1 * calls));
            everGranted += grantsPerSecond.get(end);
        }
        assertThat(everGranted).as("the budget did grant retries").isPositive();
    }
}
