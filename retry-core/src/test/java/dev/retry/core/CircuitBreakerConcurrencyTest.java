package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The breaker hammered from many threads, checked by the invariants that must hold whatever the interleaving. */
@Timeout(120)
class CircuitBreakerConcurrencyTest {

    private static final int THREADS = 8;

    /** One thread more than the callers, for the test that moves the clock beside them. */
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /** What one of the racing threads does, given its number. */
    private interface RacingThread {
        void run(int thread) throws Exception;
    }

    /** Runs {@code body} on {@link #THREADS} threads released together, and rethrows what any of them threw. */
    private void onEveryThreadAtOnce(RacingThread body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(pool.submit(() -> {
                start.await();
                body.run(thread);
                return null;
            }));
        }
        for (Future<?> each : threads) {
            each.get();
        }
    }

    @Test
    void halfOpenNeverAdmitsMoreThanItsTrialsHoweverManyCallsArriveAtOnce() throws Exception {
        int trials = 3;
        CircuitBreakerPolicy breaker =
                CircuitBreakerPolicy.builder().halfOpenCalls(trials).build();
        for (int round = 0; round < 200; round++) {
            breaker.transitionTo(CircuitState.HALF_OPEN);
            AtomicInteger admitted = new AtomicInteger();
            CountDownLatch everyoneTried = new CountDownLatch(THREADS);
            CyclicBarrier start = new CyclicBarrier(THREADS);
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                callers.add(pool.submit(() -> {
                    start.await();
                    try {
                        breaker.call(() -> {
                            admitted.incrementAndGet();
                            everyoneTried.countDown();
                            // Hold the trial until every thread has tried, so all of them overlap.
                            return everyoneTried.await(10, TimeUnit.SECONDS);
                        });
                    } catch (CircuitOpenException refused) {
                        everyoneTried.countDown();
                    }
                    return null;
                }));
            }
            for (Future<?> caller : callers) {
                caller.get();
            }
            assertThat(admitted.get()).as("round %d", round).isEqualTo(trials);
            assertThat(breaker.state()).as("three successful trials close it").isEqualTo(CircuitState.CLOSED);
        }
    }

    @Test
    void aCountWindowsTotalsAlwaysAddUpToItsSlots() throws Exception {
        CountWindow window = new CountWindow(64);
        int perThread = 20_000;
        onEveryThreadAtOnce(seed -> {
            for (int i = 0; i < perThread; i++) {
                window.record((i + seed) % 3 == 0, (i + seed) % 5 == 0, 0L);
                long totals = window.totals(0L);
                // Mid-flight the totals may count a call being recorded, but never fall below the slots.
                assertThat(SlidingWindow.calls(totals)).isBetween(1, 64 + THREADS);
            }
        });
        assertThat(window.totals(0L)).isEqualTo(window.recount());
        assertThat(SlidingWindow.calls(window.totals(0L))).isEqualTo(64);
    }

    /**
     * Mostly successes, so that the threads keep finding the ring full of them and take the shortcut
     * that writes nothing, while now and then one records a failure or a slow call past them.
     */
    @Test
    void aHealthyCountWindowSharedByManyThreadsLosesNoFailureToTheShortcut() throws Exception {
        CountWindow window = new CountWindow(32);
        int perThread = 50_000;
        onEveryThreadAtOnce(seed -> {
            for (int i = 0; i < perThread; i++) {
                boolean failed = (i + seed) % 997 == 0;
                boolean slow = (i + seed) % 1499 == 0;
                long totals = window.record(failed, slow, 0L);
                assertThat(SlidingWindow.calls(totals)).isBetween(1, 32 + THREADS);
                assertThat(SlidingWindow.failures(totals)).isBetween(0, SlidingWindow.calls(totals));
                assertThat(SlidingWindow.slowCalls(totals)).isBetween(0, SlidingWindow.calls(totals));
            }
        });
        assertThat(window.totals(0L)).isEqualTo(window.recount());
        for (int i = 0; i < 31; i++) {
            window.record(false, false, 0L);
        }
        window.record(true, false, 0L);
        assertThat(window.totals(0L))
                .as("31 successes and the failure after them")
                .isEqualTo(31 * SlidingWindow.one(false, false) + SlidingWindow.one(true, false));
    }

    @Test
    void aTimeWindowLosesNoCallRecordedFromManyThreads() throws Exception {
        VirtualClock time = new VirtualClock();
        TimeWindow window = new TimeWindow(60, time.nanoTime());
        int perThread = 10_000;
        CyclicBarrier start = new CyclicBarrier(THREADS);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            writers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    window.recordAndJudge(i % 2 == 0, false, time.nanoTime(), 1, 100f, 100f);
                }
                return null;
            }));
        }
        for (Future<?> writer : writers) {
            writer.get();
        }
        SlidingWindow.Counts counts = window.counts(time.nanoTime());
        assertThat(counts.calls()).isEqualTo(THREADS * perThread);
        assertThat(counts.failures()).isEqualTo(THREADS * perThread / 2);
    }

    /**
     * Threads make calls that fail in bursts while one thread moves the clock; every transition the
     * listener hears must chain up: each state is left exactly as often as it is entered.
     */
    @Test
    void noTransitionIsLostOrDoubledUnderRacingCalls() throws Exception {
        VirtualClock time = new VirtualClock();
        ConcurrentLinkedQueue<CircuitState[]> transitions = new ConcurrentLinkedQueue<>();
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .ticker(time)
                .countWindow(20)
                .minimumCalls(10)
                .failureRateThreshold(50)
                .openDuration(Duration.ofMillis(50))
                .halfOpenCalls(3)
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onStateTransition(String name, CircuitState from, CircuitState to) {
                        transitions.add(new CircuitState[] {from, to});
                    }
                })
                .build();
        AtomicLong refusals = new AtomicLong();
        CyclicBarrier start = new CyclicBarrier(THREADS + 1);
        List<Future<?>> callers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            callers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 20_000; i++) {
                    boolean failing = (i / 500) % 2 == 0; // bursts of failures, then of successes
                    try {
                        breaker.call(() -> {
                            if (failing) {
                                throw new IOException("burst");
                            }
                            return "ok";
                        });
                    } catch (CircuitOpenException refused) {
                        refusals.incrementAndGet();
                    } catch (IOException expected) {
                        // counted by the breaker
                    }
                }
                return null;
            }));
        }
        Future<?> clock = pool.submit(() -> {
            start.await();
            while (callers.stream().anyMatch(caller -> !caller.isDone())) {
                time.advance(Duration.ofMillis(10));
                Thread.onSpinWait();
            }
            return null;
        });
        for (Future<?> caller : callers) {
            caller.get();
        }
        clock.get();

        // Read first: an open breaker whose time is up moves to half-open when asked, and that
        // transition must be in the balance too.
        CircuitState end = breaker.state();
        Map<CircuitState, Integer> balance = new EnumMap<>(CircuitState.class);
        for (CircuitState[] transition : transitions) {
            assertThat(transition[0]).isNotEqualTo(transition[1]);
            balance.merge(transition[0], -1, Integer::sum);
            balance.merge(transition[1], 1, Integer::sum);
        }
        for (CircuitState state : CircuitState.values()) {
            int expected = (state == end ? 1 : 0) - (state == CircuitState.CLOSED ? 1 : 0);
            assertThat(balance.getOrDefault(state, 0))
                    .as("entries minus exits of %s", state)
                    .isEqualTo(expected);
        }
        assertThat(transitions).as("the bursts did move the breaker").hasSizeGreaterThan(3);
        assertThat(breaker.snapshot().notPermittedCalls()).isEqualTo(refusals.get());
    }
}
