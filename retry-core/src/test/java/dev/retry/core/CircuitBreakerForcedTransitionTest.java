package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * An operator moving a breaker (the actuator endpoint's POST) while calls move it too. The operator's
 * move must never be lost to a transition that happens at the same moment.
 */
class CircuitBreakerForcedTransitionTest {

    private static final long START = 1L << 62;

    /**
     * Deterministic: the breaker's clock is the hook. While the operator's CLOSE is being computed, a
     * caller looks at the breaker, whose open time is up, and moves it to half-open; the operator's
     * compare-and-set then fails and must be tried again, not reported done.
     */
    @Test
    void anOperatorsCloseIsNotLostWhenTheOpenTimeRunsOutAtTheSameMoment() {
        AtomicLong now = new AtomicLong(START);
        Runnable[] onNextReading = {null};
        Ticker clock = () -> {
            Runnable hook = onNextReading[0];
            onNextReading[0] = null;
            if (hook != null) {
                hook.run();
            }
            return now.get();
        };
        List<String> transitions = Collections.synchronizedList(new ArrayList<>());
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(clock)
                .timeWindow(10)
                .openDuration(Duration.ofSeconds(30))
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onStateTransition(String name, CircuitState from, CircuitState to) {
                        transitions.add(from + "->" + to);
                    }
                })
                .build();
        breaker.transitionTo(CircuitState.OPEN);
        now.addAndGet(Duration.ofSeconds(31).toNanos()); // the open time is up; nobody has looked yet
        transitions.clear();

        onNextReading[0] = breaker::state; // a caller looks: open becomes half-open, naturally
        breaker.transitionTo(CircuitState.CLOSED);

        assertThat(breaker.state())
                .as("the operator's move, made last, is the one that holds")
                .isEqualTo(CircuitState.CLOSED);
        assertThat(transitions).containsExactly("OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
        assertThat(breaker.call(() -> "through")).isEqualTo("through");
    }

    /**
     * Many callers failing and succeeding while an operator keeps moving the breaker. FORCED_OPEN and
     * DISABLED are never left but by an operator, so each must hold the moment the move returns; and
     * every transition is published exactly once: for each state, transitions into it and out of it
     * differ only by where the breaker began and ended.
     */
    @Test
    void forcedTransitionsRacingCallsAreNeverLostAndEveryTransitionIsPublishedOnce() throws Exception {
        Map<CircuitState, AtomicLong> into = new EnumMap<>(CircuitState.class);
        Map<CircuitState, AtomicLong> outOf = new EnumMap<>(CircuitState.class);
        for (CircuitState state : CircuitState.values()) {
            into.put(state, new AtomicLong());
            outOf.put(state, new AtomicLong());
        }
        AtomicLong now = new AtomicLong(START);
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(now::get)
                .countWindow(8)
                .minimumCalls(4)
                .failureRateThreshold(50)
                .halfOpenCalls(2)
                .openDuration(Duration.ofMillis(1))
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onStateTransition(String name, CircuitState from, CircuitState to) {
                        outOf.get(from).incrementAndGet();
                        into.get(to).incrementAndGet();
                    }
                })
                .build();

        int callers = 4;
        int operatorMoves = 2_000;
        ExecutorService threads = Executors.newFixedThreadPool(callers + 1);
        CyclicBarrier start = new CyclicBarrier(callers + 1);
        AtomicBoolean operatorDone = new AtomicBoolean();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int caller = c;
                running.add(threads.submit(() -> {
                    start.await();
                    for (long i = 0; !operatorDone.get(); i++) {
                        boolean failing = (i + caller) % 3 != 0;
                        now.addAndGet(100_000); // time moves on, so open breakers let trial calls through
                        try {
                            breaker.call(() -> {
                                if (failing) {
                                    throw new IOException("down");
                                }
                                return "ok";
                            });
                        } catch (IOException | CircuitOpenException expected) {
                            // what the breaker is for
                        }
                    }
                    return null;
                }));
            }
            running.add(threads.submit(() -> {
                start.await();
                CircuitState[] moves = {
                    CircuitState.FORCED_OPEN,
                    CircuitState.CLOSED,
                    CircuitState.DISABLED,
                    CircuitState.OPEN,
                    CircuitState.HALF_OPEN
                };
                for (int i = 0; i < operatorMoves; i++) {
                    CircuitState target = moves[i % moves.length];
                    breaker.transitionTo(target);
                    if ((target == CircuitState.FORCED_OPEN || target == CircuitState.DISABLED)
                            && breaker.state() != target) {
                        violations.add("moved to " + target + " but found " + breaker.state());
                    }
                    if (target == CircuitState.FORCED_OPEN) {
                        try {
                            breaker.call(() -> "through");
                            violations.add("a forced-open breaker let a call through");
                        } catch (CircuitOpenException refused) {
                            // as forced
                        }
                    }
                }
                operatorDone.set(true);
                return null;
            }));
            for (Future<?> thread : running) {
                thread.get(60, TimeUnit.SECONDS);
            }
        } finally {
            operatorDone.set(true);
            threads.shutdownNow();
        }

        assertThat(violations).isEmpty();
        CircuitState last = breaker.state();
        for (CircuitState state : CircuitState.values()) {
            long expected = (state == last ? 1 : 0) - (state == CircuitState.CLOSED ? 1 : 0);
            assertThat(into.get(state).get() - outOf.get(state).get())
                    .as("transitions into %s less those out of it (ended %s)", state, last)
                    .isEqualTo(expected);
        }
        assertThat(into.get(CircuitState.FORCED_OPEN).get())
                .as("every forced move was published")
                .isEqualTo(operatorMoves / 5);
        assertThatThrownBy(() -> {
                    breaker.transitionTo(CircuitState.FORCED_OPEN);
                    breaker.call(() -> "through");
                })
                .isInstanceOf(CircuitOpenException.class);
    }
}
