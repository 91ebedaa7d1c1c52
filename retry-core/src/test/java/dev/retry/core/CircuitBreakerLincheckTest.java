package dev.retry.core;

import static dev.retry.core.BulkheadLincheckTest.check;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model checks of the circuit breaker (see {@link LincheckRuns} for how they run).
 *
 * <p>A breaker's calls are legitimately not linearizable: a call admitted while the breaker is
 * closed may still be running when other calls open it, and then ends as a failure nobody counts,
 * where a breaker taken one call at a time would have refused it. So the checks assert the
 * invariants that matter after every interleaving: never more trial calls than {@code
 * halfOpenCalls}, every transition published exactly once, and an operator's forced state never lost
 * to a natural transition.
 */
class CircuitBreakerLincheckTest {

    private static final long START = 1L << 62;

    /** Counts, per state, the transitions published into it and out of it. */
    static final class Transitions implements CircuitBreakerListener {

        final Map<CircuitState, AtomicInteger> into = new EnumMap<>(CircuitState.class);
        final Map<CircuitState, AtomicInteger> outOf = new EnumMap<>(CircuitState.class);

        Transitions() {
            for (CircuitState state : CircuitState.values()) {
                into.put(state, new AtomicInteger());
                outOf.put(state, new AtomicInteger());
            }
        }

        @Override
        public void onStateTransition(String name, CircuitState from, CircuitState to) {
            outOf.get(from).incrementAndGet();
            into.get(to).incrementAndGet();
        }

        /** For each state, what came in less what went out is where the breaker ended less where it began. */
        void checkBalanced(CircuitState began, CircuitState ended) {
            for (CircuitState state : CircuitState.values()) {
                int expected = (state == ended ? 1 : 0) - (state == began ? 1 : 0);
                int balance = into.get(state).get() - outOf.get(state).get();
                check(
                        balance == expected,
                        "into " + state + " less out of it is " + balance + ", from " + began + " to " + ended
                                + ": a transition was lost or published twice");
            }
        }
    }

    /** A half-open breaker with two trials; calls fail or succeed as they arrive. */
    public static class HalfOpenTrials {

        private final Transitions transitions = new Transitions();
        private final CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(() -> START)
                .halfOpenCalls(2)
                .openDuration(Duration.ofMinutes(1))
                .listener(transitions)
                .build();
        private final AtomicInteger admitted = new AtomicInteger();

        public HalfOpenTrials() {
            breaker.transitionTo(CircuitState.HALF_OPEN);
        }

        @Operation
        public String failingCall() {
            try {
                return breaker.call(() -> {
                    admitted.incrementAndGet();
                    throw new IOException("still down");
                });
            } catch (IOException failed) {
                return "failed";
            } catch (CircuitOpenException refused) {
                return "refused";
            }
        }

        @Operation
        public String succeedingCall() {
            try {
                return breaker.call(() -> {
                    admitted.incrementAndGet();
                    return "ok";
                });
            } catch (CircuitOpenException refused) {
                return "refused";
            }
        }

        @Validate
        public void neverMoreTrialsThanAllowedAndEveryTransitionPublishedOnce() {
            CircuitState now = breaker.state();
            if (now == CircuitState.HALF_OPEN || now == CircuitState.OPEN) {
                // Still judging, or opened again (the clock never moves): only the trials ran.
                check(admitted.get() <= 2, admitted.get() + " calls admitted for 2 trials");
            }
            transitions.checkBalanced(CircuitState.CLOSED, now);
        }
    }

    /** Calls failing and succeeding while an operator forces the breaker open and closes it again. */
    public static class OperatorRacingCalls {

        private final Transitions transitions = new Transitions();
        private final CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(() -> START)
                .countWindow(2)
                .minimumCalls(2)
                .failureRateThreshold(50)
                .openDuration(Duration.ofMinutes(1))
                .listener(transitions)
                .build();
        private final AtomicInteger forcedMoves = new AtomicInteger();
        private final AtomicInteger forceOpenDone = new AtomicInteger();

        @Operation
        public String failingCall() {
            try {
                return breaker.call(() -> {
                    throw new IOException("down");
                });
            } catch (IOException failed) {
                return "failed";
            } catch (CircuitOpenException refused) {
                return "refused";
            }
        }

        @Operation
        public String succeedingCall() {
            try {
                return breaker.call(() -> "ok");
            } catch (CircuitOpenException refused) {
                return "refused";
            }
        }

        @Operation
        public CircuitState forceOpen() {
            forcedMoves.incrementAndGet();
            breaker.transitionTo(CircuitState.FORCED_OPEN);
            CircuitState seen = breaker.state();
            forceOpenDone.incrementAndGet();
            return seen;
        }

        @Operation
        public void close() {
            forcedMoves.incrementAndGet();
            breaker.transitionTo(CircuitState.CLOSED);
        }

        @Validate
        public void operatorMovesHoldAndEveryTransitionIsPublishedOnce() {
            CircuitState now = breaker.state();
            transitions.checkBalanced(CircuitState.CLOSED, now);
            if (forceOpenDone.get() > 0 && forcedMoves.get() == forceOpenDone.get()) {
                // Only FORCED_OPEN moves were made: nothing but an operator leaves it.
                check(now == CircuitState.FORCED_OPEN, "forced open, then found " + now);
            }
        }
    }

    @Test
    void aHalfOpenBreakerAdmitsNoMoreThanItsTrialsAndPublishesEachTransitionOnce() {
        LincheckRuns.checkInvariants(HalfOpenTrials.class, 3, 2);
    }

    @Test
    void operatorMovesRacingCallsAreNeitherLostNorPublishedTwice() {
        LincheckRuns.checkInvariants(OperatorRacingCalls.class, 3, 2);
    }
}
