package dev.retry.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.annotation.Bulkhead;
import dev.retry.annotation.CircuitBreaker;
import dev.retry.annotation.Retryable;
import dev.retry.core.BulkheadFullException;
import dev.retry.core.BulkheadPolicy;
import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitOpenException;
import dev.retry.core.CircuitState;
import dev.retry.spring.config.RetryProperties;
import dev.retry.spring.config.RetrySettings;
import dev.retry.spring.registry.ConfigChange;
import dev.retry.spring.registry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Many threads call an annotated bean's retry policy, breaker and bulkhead while another thread
 * flips the registry between two valid configurations hundreds of times. Whatever the timing, no
 * call sees half of a change, no permit is lost or made up, the breaker's state is one both
 * configurations explain, and every meter stays registered once. Real threads, no sleeps; the
 * timeouts are only a safety net for a loaded machine.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RetryReconfigurationConcurrencyTests {

    private static final int CALLERS = 8;
    private static final int FLIPS = 600;

    /** What the application starts with: two attempts, a breaker judging after 10 calls, two permits. */
    private static final Map<String, String> SMALL = Map.of(
            "retry.policies.default.delay", "0ms",
            "retry.policies.flip.max-attempts", "2",
            "retry.circuit-breakers.flip.failure-rate-threshold", "50",
            "retry.circuit-breakers.flip.minimum-calls", "10",
            "retry.circuit-breakers.flip.window-size", "100",
            "retry.circuit-breakers.flip.open-duration", "1h",
            "retry.bulkheads.flip.max-concurrent-calls", "2");

    /** Four attempts, a breaker judging after 20 calls at a threshold of 100 %, five permits; the same window. */
    private static final Map<String, String> LARGE = with(
            SMALL,
            "retry.policies.flip.max-attempts",
            "4",
            "retry.circuit-breakers.flip.failure-rate-threshold",
            "100",
            "retry.circuit-breakers.flip.minimum-calls",
            "20",
            "retry.bulkheads.flip.max-concurrent-calls",
            "5");

    private final ExecutorService threads = Executors.newFixedThreadPool(CALLERS + 1);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(RetryAutoConfiguration.class, RetryMetricsAutoConfiguration.class))
            .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
            .withBean(Dependency.class)
            .withPropertyValues(SMALL.entrySet().stream()
                    .map(entry -> entry.getKey() + "=" + entry.getValue())
                    .toArray(String[]::new));

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static Map<String, String> with(Map<String, String> base, String... changes) {
        Map<String, String> changed = new LinkedHashMap<>(base);
        for (int i = 0; i < changes.length; i += 2) {
            changed.put(changes[i], changes[i + 1]);
        }
        return Map.copyOf(changed);
    }

    /** {@code values} bound and checked as the application binds and checks {@code retry.*}. */
    private static RetrySettings settings(Map<String, String> values) {
        RetryProperties properties =
                new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("retry", RetryProperties.class);
        return RetrySettings.of(properties, null);
    }

    /** A dependency that always fails, behind a retry policy, a breaker and a bulkhead of one name. */
    static class Dependency {

        private final ThreadLocal<int[]> attemptsOfThisCall = ThreadLocal.withInitial(() -> new int[1]);
        private final AtomicInteger holdingPermits = new AtomicInteger();
        private final AtomicInteger mostHoldingPermits = new AtomicInteger();
        private final AtomicInteger breakerCallsRun = new AtomicInteger();

        /** How many attempts the calling thread's last retried call made. */
        public int attemptsOfTheLastCall() {
            return attemptsOfThisCall.get()[0];
        }

        public void startCall() {
            attemptsOfThisCall.get()[0] = 0;
        }

        @Retryable("flip")
        public void retried() throws IOException {
            attemptsOfThisCall.get()[0]++;
            throw new IOException("down");
        }

        @CircuitBreaker("flip")
        public void judged() {
            breakerCallsRun.incrementAndGet();
            throw new IllegalStateException("down");
        }

        @Bulkhead("flip")
        public void limited() {
            int now = holdingPermits.incrementAndGet();
            mostHoldingPermits.accumulateAndGet(now, Math::max);
            Thread.onSpinWait();
            holdingPermits.decrementAndGet();
        }

        public int mostHoldingPermits() {
            return mostHoldingPermits.get();
        }

        public int holdingPermits() {
            return holdingPermits.get();
        }

        public int breakerCallsRun() {
            return breakerCallsRun.get();
        }
    }

    @Test
    void callsSeeOneWholeConfigurationPermitsAreKeptTheBreakerOpensOnceAndMetersStaySingle() {
        RetrySettings small = settings(SMALL);
        RetrySettings large = settings(LARGE);
        runner.run(context -> {
            Dependency dependency = context.getBean(Dependency.class);
            RetryRegistry registry = context.getBean(RetryRegistry.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch everyCallerIsCalling = new CountDownLatch(CALLERS);
            AtomicBoolean flipping = new AtomicBoolean(true);
            Set<Integer> attemptCounts = ConcurrentHashMap.newKeySet();
            AtomicInteger retriedCalls = new AtomicInteger();
            AtomicInteger limitedCalls = new AtomicInteger();
            AtomicInteger refusedByTheBulkhead = new AtomicInteger();
            AtomicInteger refusedByTheBreaker = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

            Future<List<ConfigChange>> flipper = threads.submit(() -> {
                // Only once every caller has made a call, so that the changes fall among the calls.
                everyCallerIsCalling.await();
                List<ConfigChange> notApplied = new ArrayList<>();
                for (int flip = 0; flip < FLIPS; flip++) {
                    ConfigChange change = registry.reconfigure(flip % 2 == 0 ? large : small);
                    if (change.outcome() != ConfigChange.Outcome.APPLIED) {
                        notApplied.add(change);
                    }
                }
                flipping.set(false);
                return notApplied;
            });
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < CALLERS; t++) {
                int first = t;
                callers.add(threads.submit(() -> {
                    start.await();
                    int call = first;
                    do {
                        try {
                            switch (call % 3) {
                                case 0 -> {
                                    dependency.startCall();
                                    try {
                                        dependency.retried();
                                    } catch (IOException expected) {
                                        attemptCounts.add(dependency.attemptsOfTheLastCall());
                                        retriedCalls.incrementAndGet();
                                    }
                                }
                                case 1 -> {
                                    try {
                                        dependency.limited();
                                        limitedCalls.incrementAndGet();
                                    } catch (BulkheadFullException full) {
                                        refusedByTheBulkhead.incrementAndGet();
                                    }
                                }
                                default -> {
                                    try {
                                        dependency.judged();
                                    } catch (IllegalStateException expected) {
                                        // ran and failed, as it always does
                                    } catch (CircuitOpenException open) {
                                        refusedByTheBreaker.incrementAndGet();
                                    }
                                }
                            }
                        } catch (RuntimeException other) {
                            unexpected.add(other);
                        }
                        if (call++ == first) {
                            everyCallerIsCalling.countDown();
                        }
                    } while (flipping.get());
                    return null;
                }));
            }
            start.countDown();
            List<ConfigChange> notApplied = flipper.get(4, TimeUnit.MINUTES);
            for (Future<?> caller : callers) {
                caller.get(1, TimeUnit.MINUTES);
            }

            assertThat(notApplied).isEmpty();
            assertThat(unexpected).isEmpty();
            // No call mixed two configurations: each made the attempts of one of them, and both were seen.
            assertThat(retriedCalls).hasPositiveValue();
            assertThat(attemptCounts).containsExactlyInAnyOrder(2, 4);
            // The bulkhead never held more than the larger limit, and every permit came back.
            assertThat(limitedCalls).hasPositiveValue();
            assertThat(dependency.mostHoldingPermits()).isBetween(1, 5);
            BulkheadPolicy bulkhead = registry.bulkheads().get("flip");
            assertThat(dependency.holdingPermits()).isZero();
            assertThat(bulkhead.currentConcurrentCalls()).isZero();
            int finalLimit = bulkhead.config().maxConcurrentCalls();
            assertThat(finalLimit).isIn(2, 5);
            assertThat(bulkhead.availablePermits()).isEqualTo(finalLimit);
            // Every call failed: both configurations open the breaker once it has judged 10 or 20 calls
            // of the window both keep, so it opened once, neither before the smaller minimum nor long
            // after the larger one, and stayed open through every change (its open duration is an hour).
            CircuitBreakerPolicy breaker = registry.circuitBreakers().get("flip");
            assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
            assertThat(dependency.breakerCallsRun()).isBetween(10, 20 + CALLERS);
            assertThat(refusedByTheBreaker).hasPositiveValue();
            assertThat(meters.find("circuitbreaker.transitions").tag("name", "flip").counters().stream()
                            .mapToDouble(Counter::count)
                            .sum())
                    .isEqualTo(1.0);
            assertThat(meters.get("circuitbreaker.transitions")
                            .tags("name", "flip", "from", "CLOSED", "to", "OPEN")
                            .counter()
                            .count())
                    .isEqualTo(1.0);
            // Each instance's meters were registered once, however many times it took a new configuration.
            assertThat(meters.find("circuitbreaker.state").tag("name", "flip").gauges())
                    .hasSize(CircuitState.values().length);
            assertThat(meters.find("bulkhead.concurrent.calls")
                            .tag("name", "flip")
                            .gauges())
                    .hasSize(1);
            assertThat(meters.find("retry.attempts.limit").tag("name", "flip").gauges())
                    .hasSize(1);
            assertThat(meters.get("retry.attempts.limit")
                            .tag("name", "flip")
                            .gauge()
                            .value())
                    .isEqualTo(registry.retryPolicies().get("flip").config().maxAttempts());

            // With the flipping over, the configuration in place decides, all of it.
            registry.reconfigure(large);
            dependency.startCall();
            try {
                dependency.retried();
            } catch (IOException expected) {
                assertThat(dependency.attemptsOfTheLastCall()).isEqualTo(4);
            }
            assertThat(bulkhead.availablePermits()).isEqualTo(5);
        });
    }
}
