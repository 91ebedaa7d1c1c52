package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A breaker reconfigured, moved and hammered at once. No timing is assumed: the threads run as the
 * machine lets them, and only what must hold whatever the interleaving is checked.
 */
@Timeout(120)
class HostileConcurrencyTests {

    private static final int CALLERS = 8;
    private static final int CALLS_PER_CALLER = 20_000;
    private static final Duration OPEN = Duration.ofSeconds(1);

    private final ExecutorService pool = Executors.newFixedThreadPool(CALLERS + 1);
    private final VirtualClock time = new VirtualClock();
    private final ConcurrentLinkedQueue<CircuitState[]> transitions = new ConcurrentLinkedQueue<>();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private CircuitBreakerPolicy breaker() {
        return CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(time)
                .countWindow(4)
                .minimumCalls(2)
                .failureRateThreshold(50)
                .openDuration(OPEN)
                .halfOpenCalls(3)
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onStateTransition(String name, CircuitState from, CircuitState to) {
                        transitions.add(new CircuitState[] {from, to});
                    }
                })
                .build();
    }

    private static CircuitBreakerConfig trials(CircuitBreakerPolicy breaker, int halfOpenCalls, int window) {
        return CircuitBreakerPolicy.builder(breaker.config())
                .halfOpenCalls(halfOpenCalls)
                .countWindow(window)
                .minimumCalls(2)
                .buildConfig();
    }

    @Test
    void aBreakerReconfiguredWhileHammeredNeverSticksAndItsEventsAddUp() throws Exception {
        CircuitBreakerPolicy breaker = breaker();
        AtomicBoolean calling = new AtomicBoolean(true);
        CyclicBarrier start = new CyclicBarrier(CALLERS + 1);
        List<Future<?>> callers = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
            int caller = c;
            callers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < CALLS_PER_CALLER; i++) {
                    boolean fail = (i + caller) % 3 == 0;
                    try {
                        breaker.call(() -> {
                            Thread.yield(); // a call that takes a moment, so that reconfigurations land during it
                            if (fail) {
                                throw new IOException("down");
                            }
                            return "ok";
                        });
                    } catch (IOException | CircuitOpenException expected) {
                        // either is an answer; the invariants are checked below
                    }
                    CircuitBreakerSnapshot snapshot = breaker.snapshot();
                    assertThat(snapshot.bufferedCalls()).isNotNegative();
                    assertThat(snapshot.failedCalls()).isBetween(0, snapshot.bufferedCalls());
                }
                return null;
            }));
        }
        Future<?> operator = pool.submit(() -> {
            start.await();
            for (int round = 0; calling.get(); round++) {
                breaker.reconfigure(trials(breaker, 1 + round % 4, 2 + round % 3));
                time.advance(OPEN);
                if (round % 50 == 0) {
                    breaker.transitionTo(CircuitState.OPEN); // an operator's move, which must not heal a stuck state
                }
                Thread.yield();
            }
            return null;
        });
        for (Future<?> each : callers) {
            each.get(100, TimeUnit.SECONDS);
        }
        calling.set(false);
        operator.get(10, TimeUnit.SECONDS);

        // Whatever state the race left, the breaker must still decide: trials pass and close it.
        breaker.reconfigure(trials(breaker, 1, 2));
        time.advance(OPEN);
        for (int i = 0; i < 3 && breaker.state() != CircuitState.CLOSED; i++) {
            try {
                breaker.call(() -> "ok");
            } catch (CircuitOpenException stuck) {
                break; // reported below, with the state it is stuck in
            }
        }
        assertThat(breaker.state()).as("successful trials close the breaker").isEqualTo(CircuitState.CLOSED);

        Map<CircuitState, Integer> balance = new EnumMap<>(CircuitState.class);
        for (CircuitState[] transition : transitions) {
            assertThat(transition[0]).as("no transition from a state to itself").isNotEqualTo(transition[1]);
            balance.merge(transition[0], -1, Integer::sum);
            balance.merge(transition[1], 1, Integer::sum);
        }
        balance.values().removeIf(count -> count == 0);
        assertThat(balance)
                .as("every state entered was left, but the one the breaker is in (it started closed, too)")
                .isEmpty();
    }

    @Test
    void aCallCancelledFromAnotherThreadAtAnyMomentStopsRetryingAndStaysCancelled() throws Exception {
        ExecutorService timerThread = Executors.newSingleThreadExecutor();
        try {
            // Every retry is due at once, on the timer thread: the chain of attempts races the cancel.
            Scheduler immediate = (task, delayNanos) -> {
                Future<?> scheduled = timerThread.submit(task);
                return () -> scheduled.cancel(false);
            };
            RetryPolicy retry = RetryPolicy.builder()
                    .maxAttempts(Integer.MAX_VALUE)
                    .delay(Duration.ZERO)
                    .scheduler(immediate)
                    .build();
            for (int round = 0; round < 200; round++) {
                AtomicInteger attempts = new AtomicInteger();
                CompletableFuture<String> call = retry.callAsync(() -> {
                    attempts.incrementAndGet();
                    return CompletableFuture.failedFuture(new IOException("down"));
                });
                int spins = round * 37 % 500;
                pool.submit(() -> {
                            for (int i = 0; i < spins; i++) {
                                Thread.onSpinWait();
                            }
                            call.cancel(true);
                        })
                        .get(10, TimeUnit.SECONDS);
                int atCancel = attempts.get();
                drain(timerThread);
                int settled = attempts.get();
                drain(timerThread);

                assertThat(call).isCancelled();
                assertThat(settled)
                        .as("round %d: at most the attempt being started when the cancel came", round)
                        .isLessThanOrEqualTo(atCancel + 1);
                assertThat(attempts.get())
                        .as("round %d: no retry after that", round)
                        .isEqualTo(settled);
            }
        } finally {
            timerThread.shutdownNow();
        }
    }

    /** Returns once the single timer thread has run everything queued before this call. */
    private static void drain(ExecutorService timerThread) throws Exception {
        timerThread.submit(() -> {}).get(10, TimeUnit.SECONDS);
    }
}
