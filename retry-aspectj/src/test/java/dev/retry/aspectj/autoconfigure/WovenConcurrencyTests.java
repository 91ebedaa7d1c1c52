package dev.retry.aspectj.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.Hedged;
import dev.retry.annotation.Retryable;
import dev.retry.core.RetryContext;
import dev.retry.core.Scheduler;
import dev.retry.core.Sleeper;
import dev.retry.core.Ticker;
import dev.retry.spring.autoconfigure.RetryAutoConfiguration;
import dev.retry.spring.autoconfigure.RetryMetricsAutoConfiguration;
import dev.retry.spring.registry.PolicyTime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Woven calls from many threads at once, and a hedge that proceeds the same join point on another
 * thread while the first attempt still runs: each call keeps its own attempts, arguments and
 * idempotency key.
 */
class WovenConcurrencyTests {

    private static final int THREADS = 16;
    private static final int CALLS_PER_THREAD = 200;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    RetryAutoConfiguration.class,
                    RetryMetricsAutoConfiguration.class,
                    RetryAspectAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean(Ledger.class)
            .withPropertyValues("retry.mode=aspectj", "retry.policies.default.delay=0ms");

    /** Each call fails its first attempt and succeeds on its second, echoing its own argument. */
    static class Ledger {

        final AtomicInteger attempts = new AtomicInteger();
        final Map<String, Set<Integer>> attemptsByKey = new ConcurrentHashMap<>();
        final AtomicInteger hedgedInvocations = new AtomicInteger();
        final CountDownLatch primaryReleased = new CountDownLatch(1);
        final CountDownLatch primaryRunning = new CountDownLatch(1);

        public String book(String entry) throws IOException {
            return this.record(entry);
        }

        @Retryable
        String record(String entry) throws IOException {
            attempts.incrementAndGet();
            RetryContext context = RetryContext.current();
            attemptsByKey
                    .computeIfAbsent(context.idempotencyKey(), key -> ConcurrentHashMap.newKeySet())
                    .add(context.attempt());
            if (context.attempt() == 1) {
                throw new IOException("first attempt of " + entry + " fails");
            }
            return entry;
        }

        @Hedged(delay = "5ms")
        public String balance(String account) throws InterruptedException {
            if (hedgedInvocations.incrementAndGet() == 1) {
                // The primary: still running when the hedge answers, until the test releases it.
                primaryRunning.countDown();
                primaryReleased.await(30, TimeUnit.SECONDS);
                return "primary " + account;
            }
            return "hedge " + account;
        }
    }

    @Test
    void callsFromManyThreadsEachGetTheirOwnAttemptsAndAnswer() {
        runner.run(context -> {
            Ledger ledger = context.getBean(Ledger.class);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<List<String>>> results = new ArrayList<>();
                for (int thread = 0; thread < THREADS; thread++) {
                    int id = thread;
                    results.add(pool.submit(() -> {
                        List<String> answers = new ArrayList<>();
                        for (int call = 0; call < CALLS_PER_THREAD; call++) {
                            String entry = id + "/" + call;
                            answers.add(ledger.book(entry).equals(entry) ? "ok" : "mixed up: " + entry);
                        }
                        return answers;
                    }));
                }
                for (Future<List<String>> result : results) {
                    assertThat(result.get(60, TimeUnit.SECONDS)).containsOnly("ok");
                }
            } finally {
                pool.shutdownNow();
            }
            int calls = THREADS * CALLS_PER_THREAD;
            assertThat(ledger.attempts).hasValue(2 * calls);
            assertThat(ledger.attemptsByKey).hasSize(calls);
            assertThat(ledger.attemptsByKey.values())
                    .allSatisfy(seen -> assertThat(seen).containsExactlyInAnyOrder(1, 2));
            assertThat(context.getBean(MeterRegistry.class)
                            .get("retry.calls")
                            .tags("name", "default", "outcome", "success_after_retry")
                            .counter()
                            .count())
                    .isEqualTo(calls);
        });
    }

    /**
     * Hedge timers that fire once the primary runs, whatever their delay. With the real 5 ms timer, a
     * primary whose thread a busy machine started late was overtaken by its own hedge, which then held
     * on as "the primary" while the real primary answered: a win counted for the primary.
     */
    private static Scheduler firingOnceRunning(AtomicReference<CountDownLatch> primaryRunning) {
        return (task, delayNanos) -> {
            Thread timer = new Thread(
                    () -> {
                        try {
                            if (primaryRunning.get().await(30, TimeUnit.SECONDS)) {
                                task.run();
                            }
                        } catch (InterruptedException cancelled) {
                            // the call was decided without this hedge
                        }
                    },
                    "hedge-timer");
            timer.setDaemon(true);
            timer.start();
            return timer::interrupt;
        };
    }

    @Test
    void aHedgeProceedsTheJoinPointOnAnotherThreadWhileThePrimaryStillRuns() {
        AtomicReference<CountDownLatch> primaryRunning = new AtomicReference<>();
        runner.withBean(
                        PolicyTime.class,
                        () -> new PolicyTime(Ticker.system(), Sleeper.system(), firingOnceRunning(primaryRunning)))
                .run(context -> {
                    Ledger ledger = context.getBean(Ledger.class);
                    primaryRunning.set(ledger.primaryRunning);

                    try {
                        assertThat(ledger.balance("acct-9")).isEqualTo("hedge acct-9");
                    } finally {
                        ledger.primaryReleased.countDown();
                    }

                    assertThat(ledger.hedgedInvocations).hasValue(2);
                    assertThat(context.getBean(MeterRegistry.class)
                                    .get("hedge.calls")
                                    .tags("outcome", "hedge")
                                    .counter()
                                    .count())
                            .isEqualTo(1);
                });
    }
}
