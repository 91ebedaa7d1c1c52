package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The hedge budget: how many hedges a window grants, and what a policy does when it refuses one. */
class HedgeBudgetTest {

    private final VirtualClock time = new VirtualClock();
    private final RecordingHedgeListener listener = new RecordingHedgeListener();

    private static int grant(HedgeBudget budget, int tries) {
        int granted = 0;
        for (int i = 0; i < tries; i++) {
            if (budget.tryAcquireHedge()) {
                granted++;
            }
        }
        return granted;
    }

    private static void calls(HedgeBudget budget, int count) {
        for (int i = 0; i < count; i++) {
            budget.recordCall();
        }
    }

    @Test
    void aWindowGrantsTheRatioOfItsCallsAndNoMore() {
        HedgeBudget budget = new HedgeBudget(0.05, time);
        calls(budget, 1_000);
        assertThat(grant(budget, 500)).isEqualTo(50);
        assertThat(budget.hedgesInWindow()).isEqualTo(50);
        assertThat(budget.remainingHedges()).isZero();
        calls(budget, 20);
        assertThat(budget.remainingHedges()).as("5 % of 20 more calls").isEqualTo(1);
        assertThat(grant(budget, 500))
                .as("more calls make room for more hedges")
                .isEqualTo(1);
    }

    @Test
    void thereIsNoFloorSoARarelyCalledPolicyDoesNotHedge() {
        HedgeBudget budget = new HedgeBudget(0.05, time);
        calls(budget, 19);
        assertThat(grant(budget, 10)).isZero();
        calls(budget, 1);
        assertThat(grant(budget, 10)).isEqualTo(1);
    }

    @Test
    void oldCallsAndHedgesLeaveTheWindowAfterTenSeconds() {
        HedgeBudget budget = new HedgeBudget(0.1, time);
        calls(budget, 100);
        assertThat(grant(budget, 100)).isEqualTo(10);
        time.advance(Duration.ofSeconds(5));
        calls(budget, 50);
        assertThat(grant(budget, 100)).as("the first 10 hedges still count").isEqualTo(5);
        time.advance(Duration.ofSeconds(5));
        assertThat(budget.callsInWindow()).isEqualTo(50);
        assertThat(budget.hedgesInWindow()).isEqualTo(5);
        time.advance(Duration.ofSeconds(5));
        assertThat(budget.callsInWindow()).isZero();
        assertThat(budget.hedgesInWindow()).isZero();
    }

    @Test
    void manyThreadsAtOnceAreNeverGrantedMoreThanTheWindowAllowsAndNoGrantIsLost() throws Exception {
        HedgeBudget budget = new HedgeBudget(0.2, time);
        int threads = 8;
        int callsPerThread = 500;
        int triesPerThread = 2_000;
        long allowance = (long) (0.2 * threads * callsPerThread);
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
                        if (budget.tryAcquireHedge()) {
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
            assertThat(budget.hedgesInWindow())
                    .as("every grant was counted once")
                    .isEqualTo(total);
            assertThat(budget.callsInWindow()).isEqualTo((long) threads * callsPerThread);
            assertThat(total + grant(budget, 10_000))
                    .as("none is lost for good")
                    .isEqualTo(allowance);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whenEveryCallIsSlowAtMostTheRatioOfCallsHedgeAndEachRefusalIsTold() {
        HedgePolicy hedge = HedgePolicy.builder()
                .ticker(time)
                .scheduler(time)
                .delay(Duration.ofMillis(100))
                .budget(0.1)
                .listener(listener)
                .build();
        List<CompletableFuture<String>> primaries = new ArrayList<>();
        List<CompletableFuture<String>> results = new ArrayList<>();
        int[] invocations = {0};
        for (int i = 0; i < 200; i++) {
            results.add(hedge.callAsync(() -> {
                CompletableFuture<String> attempt = new CompletableFuture<>();
                if (++invocations[0] <= 200) {
                    primaries.add(attempt);
                }
                return attempt;
            }));
        }

        time.advance(Duration.ofMillis(100)); // every call is slow: each wants its hedge now

        assertThat(invocations[0] - 200).as("hedges started").isEqualTo(20);
        assertThat(listener.log().stream().filter(entry -> entry.startsWith("started")))
                .hasSize(20);
        assertThat(listener.log().stream().filter(entry -> entry.startsWith("budget")))
                .hasSize(180);
        assertThat(hedge.budget().orElseThrow().hedgesInWindow()).isEqualTo(20);

        // A call whose hedge was refused goes on waiting for its primary.
        primaries.forEach(primary -> primary.complete("primary"));
        assertThat(results).allSatisfy(result -> assertThat(result).isCompleted());
        assertThat(results.get(199)).isCompletedWithValue("primary");
        assertThat(time.pendingTasks())
                .as("a refused call arms no further timers")
                .isZero();
    }

    @Test
    void asSlowCallsKeepComingEveryHedgeIsGrantedWithinTheWindowsAllowance() {
        double ratio = 0.05;
        List<String> violations = new ArrayList<>();
        HedgeBudget[] budget = new HedgeBudget[1];
        HedgePolicy hedge = HedgePolicy.builder()
                .ticker(time)
                .scheduler(time)
                .delay(Duration.ofMillis(100))
                .maxHedges(2)
                .budget(ratio)
                .listener(new HedgeListener() {
                    @Override
                    public void onHedgeStarted(HedgeEvent event) {
                        HedgeBudget window = budget[0];
                        if (window.hedgesInWindow() > ratio * window.callsInWindow()) {
                            violations.add(
                                    window.hedgesInWindow() + " hedges for " + window.callsInWindow() + " calls");
                        }
                    }
                })
                .listener(listener)
                .build();
        budget[0] = hedge.budget().orElseThrow();
        List<CompletableFuture<String>> primaries = new ArrayList<>();
        int calls = 1_200;
        // A call every 50 ms for a minute, each answering after 250 ms: every call wants two hedges.
        for (int tick = 0; tick < calls; tick++) {
            boolean[] first = {true};
            hedge.callAsync(() -> {
                CompletableFuture<String> attempt = new CompletableFuture<>();
                if (first[0]) {
                    primaries.add(attempt);
                    first[0] = false;
                }
                return attempt;
            });
            time.advance(Duration.ofMillis(50));
            if (tick >= 5) {
                primaries.get(tick - 5).complete("late");
            }
        }
        long hedges = listener.log().stream()
                .filter(entry -> entry.startsWith("started"))
                .count();
        assertThat(violations).isEmpty();
        assertThat(hedges)
                .as("the budget did grant hedges")
                .isPositive()
                .isLessThanOrEqualTo((long) (ratio * calls) + 1);
        assertThat(listener.log().stream().filter(entry -> entry.startsWith("budget")))
                .isNotEmpty();
    }
}
