package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * A policy takes a new configuration in place, as a running application's configuration change
 * hands it over: the calls that follow use it, and what the policy has learnt (a breaker's state
 * and window, a bulkhead's held permits, a budget) is kept wherever the change leaves it meaningful.
 */
class ReconfigureTest {

    private final VirtualClock time = new VirtualClock();

    private static void fail(CircuitBreakerPolicy breaker) {
        assertThatThrownBy(() -> breaker.call(() -> {
                    throw new IOException("down");
                }))
                .isInstanceOf(IOException.class);
    }

    @Nested
    class CircuitBreaker {

        private CircuitBreakerPolicy breaker() {
            return CircuitBreakerPolicy.builder()
                    .name("inventory")
                    .ticker(time)
                    .countWindow(10)
                    .minimumCalls(4)
                    .failureRateThreshold(50)
                    .openDuration(Duration.ofSeconds(30))
                    .build();
        }

        private CircuitBreakerConfig changed(CircuitBreakerPolicy breaker, int windowSize, float threshold) {
            return CircuitBreakerPolicy.builder(breaker.config())
                    .countWindow(windowSize)
                    .failureRateThreshold(threshold)
                    .buildConfig();
        }

        @Test
        void anOpenBreakerStaysOpenUnderItsNewConfiguration() {
            CircuitBreakerPolicy breaker = breaker();
            breaker.transitionTo(CircuitState.OPEN);

            breaker.reconfigure(changed(breaker, 10, 80));

            assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
            assertThat(breaker.config().failureRateThreshold()).isEqualTo(80f);
            assertThatThrownBy(() -> breaker.call(() -> "never")).isInstanceOf(CircuitOpenException.class);
        }

        @Test
        void aWindowOfTheSameKindAndSizeKeepsItsCallsAndTheNewThresholdJudgesThem() {
            CircuitBreakerPolicy breaker = breaker();
            breaker.call(() -> "ok");
            breaker.call(() -> "ok");
            fail(breaker); // 1 failure of 3: one more failure is 50 %, the old threshold

            breaker.reconfigure(changed(breaker, 10, 25)); // same window, stricter threshold
            assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(3);
            breaker.call(() -> "ok"); // 1 of 4 = 25 %: enough under the new threshold, not the old one

            assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        }

        @Test
        void aWindowOfAnotherSizeStartsEmpty() {
            CircuitBreakerPolicy breaker = breaker();
            fail(breaker);
            fail(breaker);
            fail(breaker);

            breaker.reconfigure(changed(breaker, 20, 50));
            fail(breaker); // four failures before the change would open it; one after does not

            assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
            assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(1);
        }

        @Test
        void refusesTheConfigurationOfAnotherBreaker() {
            CircuitBreakerPolicy breaker = breaker();
            CircuitBreakerConfig other =
                    CircuitBreakerPolicy.builder().name("payments").buildConfig();

            assertThatThrownBy(() -> breaker.reconfigure(other))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'inventory'")
                    .hasMessageContaining("'payments'");
            assertThat(breaker.config().name()).isEqualTo("inventory");
        }
    }

    @Nested
    class Bulkhead {

        private BulkheadPolicy bulkhead(int limit) {
            return BulkheadPolicy.builder()
                    .name("inventory")
                    .scheduler(time)
                    .maxConcurrentCalls(limit)
                    .build();
        }

        private static BulkheadConfig limit(BulkheadPolicy bulkhead, int limit) {
            return BulkheadPolicy.builder(bulkhead.config())
                    .maxConcurrentCalls(limit)
                    .buildConfig();
        }

        /** Starts an asynchronous call that holds its permit until the returned future is completed. */
        private static CompletableFuture<String> hold(BulkheadPolicy bulkhead, List<CompletableFuture<String>> calls) {
            CompletableFuture<String> work = new CompletableFuture<>();
            calls.add(bulkhead.callAsync(() -> work));
            return work;
        }

        @Test
        void aLargerLimitLetsMoreCallsInAtOnce() {
            BulkheadPolicy bulkhead = bulkhead(2);
            List<CompletableFuture<String>> calls = new ArrayList<>();
            hold(bulkhead, calls);
            hold(bulkhead, calls);
            assertThat(bulkhead.callAsync(() -> CompletableFuture.completedFuture("x")))
                    .isCompletedExceptionally();

            bulkhead.reconfigure(limit(bulkhead, 3));
            hold(bulkhead, calls);

            assertThat(calls).noneMatch(CompletableFuture::isCompletedExceptionally);
            assertThat(bulkhead.currentConcurrentCalls()).isEqualTo(3);
            assertThat(bulkhead.availablePermits()).isZero();
        }

        @Test
        void aLimitBelowTheCallsRunningAdmitsNobodyUntilEnoughHaveFinishedAndLosesNoPermit() {
            BulkheadPolicy bulkhead = bulkhead(4);
            List<CompletableFuture<String>> calls = new ArrayList<>();
            List<CompletableFuture<String>> held = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                held.add(hold(bulkhead, calls));
            }

            bulkhead.reconfigure(limit(bulkhead, 2));
            assertThat(bulkhead.currentConcurrentCalls()).isEqualTo(4);
            held.get(0).complete("done");
            held.get(1).complete("done"); // two running: the new limit, still full
            assertThatThrownBy(() -> bulkhead.call(() -> "refused"))
                    .isInstanceOf(BulkheadFullException.class)
                    .hasMessageContaining("2");
            held.get(2).complete("done");

            assertThat(bulkhead.call(() -> "admitted")).isEqualTo("admitted");
            held.get(3).complete("done");
            assertThat(bulkhead.currentConcurrentCalls()).isZero();
            assertThat(bulkhead.availablePermits()).isEqualTo(2);
        }

        @Test
        void aLargerLimitGrantsTheCallsWaitingInLine() {
            BulkheadPolicy bulkhead = BulkheadPolicy.builder()
                    .name("inventory")
                    .scheduler(time)
                    .maxConcurrentCalls(1)
                    .maxWait(Duration.ofSeconds(5))
                    .build();
            List<CompletableFuture<String>> calls = new ArrayList<>();
            hold(bulkhead, calls);
            CompletableFuture<String> waiting = bulkhead.callAsync(() -> CompletableFuture.completedFuture("granted"));
            assertThat(waiting).isNotDone();

            bulkhead.reconfigure(limit(bulkhead, 2));
            time.runDueTasks();

            assertThat(waiting).isCompletedWithValue("granted");
        }
    }

    @Nested
    class Retry {

        @Test
        void theNextCallMakesTheNewNumberOfAttemptsAndKeepsTheBudget() {
            RetryPolicy retry = RetryPolicy.builder()
                    .name("inventory")
                    .ticker(time)
                    .sleeper(time)
                    .maxAttempts(2)
                    .budget(0.5, 10)
                    .build();
            RetryBudget budget = retry.budget().orElseThrow();
            AtomicInteger attempts = new AtomicInteger();

            retry.reconfigure(RetryPolicy.builder(retry.config()).maxAttempts(4).buildConfig());
            assertThatThrownBy(() -> retry.call(() -> {
                        attempts.incrementAndGet();
                        throw new IOException("down");
                    }))
                    .isInstanceOf(IOException.class);

            assertThat(attempts).hasValue(4);
            assertThat(retry.budget()).containsSame(budget);
            assertThat(budget.retriesInWindow()).isEqualTo(3);
        }

        @Test
        void aNewBudgetRatioStartsANewBudget() {
            RetryPolicy retry = RetryPolicy.builder()
                    .name("inventory")
                    .ticker(time)
                    .sleeper(time)
                    .budget(0.5, 10)
                    .build();
            RetryBudget old = retry.budget().orElseThrow();

            retry.reconfigure(
                    RetryPolicy.builder(retry.config()).budget(0.2, 10).buildConfig());

            assertThat(retry.budget()).isPresent().get().isNotSameAs(old);
            assertThat(retry.budget().orElseThrow().ratio()).isEqualTo(0.2);
        }
    }

    @Nested
    class Timeout {

        @Test
        void attemptsStartedAfterTheChangeHaveTheNewLimit() {
            TimeoutPolicy timeout = TimeoutPolicy.builder()
                    .name("inventory")
                    .scheduler(time)
                    .ticker(time)
                    .duration(Duration.ofSeconds(1))
                    .build();

            timeout.reconfigure(TimeoutPolicy.builder(timeout.config())
                    .duration(Duration.ofMillis(200))
                    .buildConfig());

            assertThatThrownBy(() -> timeout.call(() -> {
                        time.advance(Duration.ofMillis(300));
                        return "late";
                    }))
                    .isInstanceOf(AttemptTimeoutException.class)
                    .hasMessageContaining("200ms");
        }
    }

    @Nested
    class Hedge {

        @Test
        void theNextCallHedgesAsTheNewConfigurationSays() {
            HedgePolicy hedge = HedgePolicy.builder()
                    .name("search")
                    .maxHedges(1)
                    .delay(Duration.ofMillis(50))
                    .build();

            hedge.reconfigure(HedgePolicy.builder(hedge.config()).maxHedges(0).buildConfig());

            assertThat(hedge.config().maxHedges()).isZero();
            assertThat(hedge.call(() -> Thread.currentThread())).isSameAs(Thread.currentThread());
        }
    }
}
