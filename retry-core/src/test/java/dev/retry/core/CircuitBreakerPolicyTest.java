package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The breaker's state machine, driven call by call in virtual time. */
class CircuitBreakerPolicyTest {

    private final VirtualClock time = new VirtualClock();
    private final List<String> transitions = new ArrayList<>();
    private final List<String> recorded = new ArrayList<>();

    private final CircuitBreakerListener listener = new CircuitBreakerListener() {
        @Override
        public void onStateTransition(String breaker, CircuitState from, CircuitState to) {
            transitions.add(from + "->" + to);
        }

        @Override
        public void onCallRecorded(String breaker, Outcome outcome, boolean slow, long durationNanos) {
            recorded.add(outcome + (slow ? "(slow)" : ""));
        }
    };

    private CircuitBreakerPolicyBuilder breaker() {
        return CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(time)
                .listener(listener)
                .countWindow(10)
                .minimumCalls(4)
                .failureRateThreshold(50)
                .openDuration(Duration.ofSeconds(30))
                .halfOpenCalls(2);
    }

    private static void succeed(CircuitBreakerPolicy breaker) {
        breaker.call(() -> "ok");
    }

    private static void fail(CircuitBreakerPolicy breaker) {
        assertThatThrownBy(() -> breaker.call(() -> {
                    throw new IOException("down");
                }))
                .isInstanceOf(IOException.class);
    }

    private void slow(CircuitBreakerPolicy breaker, Duration duration) {
        breaker.call(() -> {
            time.advance(duration);
            return "late";
        });
    }

    private static void assertRefused(CircuitBreakerPolicy breaker) {
        assertThatThrownBy(() -> breaker.call(() -> "never")).isInstanceOf(CircuitOpenException.class);
    }

    @Nested
    class Closed {

        @Test
        void staysClosedBelowMinimumCallsWhateverTheFailures() {
            CircuitBreakerPolicy breaker = breaker().build();
            for (int i = 0; i < 3; i++) {
                fail(breaker);
            }
            assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
            assertThat(breaker.snapshot().failureRate())
                    .as("-1 until minimum calls")
                    .isEqualTo(-1f);
        }

        @Test
        void opensWhenTheFailureRateReachesTheThreshold() {
            CircuitBreakerPolicy breaker = breaker().build();
            succeed(breaker);
            succeed(breaker);
            fail(breaker);
            assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
            fail(breaker); // 2 of 4 = 50 %
            assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
            assertThat(transitions).containsExactly("CLOSED->OPEN");
        }

        @Test
        void theCountWindowForgetsCallsOlderThanItsSize() {
            CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                    .ticker(time)
                    .countWindow(10)
                    .minimumCalls(4)
                    .failureRateThreshold(50)
                    .build();
            fail(breaker);
            for (int i = 0; i < 9; i++) {
                succeed(breaker);
            }
            for (int i = 0; i < 4; i++) {
                fail(breaker);
            }
            // The last 10 calls: six successes and four failures; the first failure has left.
            assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(10);
            assertThat(breaker.snapshot().failedCalls()).isEqualTo(4);
            assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
            fail(breaker); // five of the last ten
            assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        }

        @Test
        void theTimeWindowForgetsCallsOlderThanItsSeconds() {
            CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                    .ticker(time)
                    .timeWindow(10)
                    .minimumCalls(4)
                    .build();
            fail(breaker);
            fail(breaker);
            fail(breaker);
            time.advance(Duration.ofSeconds(10));
            fail(breaker);
            assertThat(breaker.snapshot().bufferedCalls())
                    .as("the first three fell out of the window")
                    .isEqualTo(1);
            assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
            fail(breaker);
            fail(breaker);
            time.advance(Duration.ofSeconds(9));
            fail(breaker);
            assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        }

        @Test
        void opensWhenTheSlowCallRateReachesItsThreshold() {
            CircuitBreakerPolicy breaker = breaker()
                    .slowCallDuration(Duration.ofSeconds(2))
                    .slowCallRateThreshold(75)
                    .build();
            slow(breaker, Duration.ofSeconds(2));
            slow(breaker, Duration.ofSeconds(3));
            succeed(breaker);
            assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
            slow(breaker, Duration.ofSeconds(5));
            assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
            assertThat(recorded).containsExactly("SUCCESS(slow)", "SUCCESS(slow)", "SUCCESS", "SUCCESS(slow)");
            assertThat(breaker.snapshot().slowCallRate()).isEqualTo(75f);
        }
    }

    @Nested
    class Classification {

        @Test
        void ignoredFailuresCountNeitherWay() {
            CircuitBreakerPolicy breaker =
                    breaker().ignoreOn(IllegalArgumentException.class).build();
            for (int i = 0; i < 10; i++) {
                assertThatThrownBy(() -> breaker.call(() -> {
                            throw new IllegalArgumentException("bad input");
                        }))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(breaker.snapshot().bufferedCalls()).isZero();
            assertThat(recorded).containsOnly("IGNORED");
        }

        @Test
        void aBulkheadRefusalCountsNeitherWayEvenWhenTheBreakerIsCalledByHand() {
            CircuitBreakerPolicy breaker = breaker().build();
            for (int i = 0; i < 10; i++) {
                assertThatThrownBy(() -> breaker.call(() -> {
                            throw new BulkheadFullException("pool", 4, Duration.ZERO, null);
                        }))
                        .isInstanceOf(BulkheadFullException.class);
            }
            assertThat(breaker.snapshot().bufferedCalls()).isZero();
            assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
            assertThat(recorded).containsOnly("IGNORED");
        }

        @Test
        void anAttemptTimeoutCountsAsAFailure() {
            CircuitBreakerPolicy breaker = breaker().build();
            for (int i = 0; i < 4; i++) {
                assertThatThrownBy(() -> breaker.call(() -> {
                            throw new AttemptTimeoutException("catalog", Duration.ofSeconds(1));
                        }))
                        .isInstanceOf(AttemptTimeoutException.class);
            }
            assertThat(breaker.snapshot().failedCalls()).isEqualTo(4);
            assertThat(recorded).containsOnly("FAILURE");
        }

        @Test
        void withRecordOnOtherExceptionsCountAsSuccessesBecauseTheCalleeAnswered() {
            CircuitBreakerPolicy breaker = breaker().recordOn(IOException.class).build();
            for (int i = 0; i < 6; i++) {
                assertThatThrownBy(() -> breaker.call(() -> {
                            throw new IllegalStateException("404 not found");
                        }))
                        .isInstanceOf(IllegalStateException.class);
            }
            assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
            assertThat(breaker.snapshot().failedCalls()).isZero();
            assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(6);
        }

        @Test
        void aResultPredicateCountsResultsAsFailures() {
            CircuitBreakerPolicy breaker =
                    breaker().recordResultIf("error"::equals).build();
            for (int i = 0; i < 4; i++) {
                breaker.call(() -> "error");
            }
            assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        }
    }

    @Nested
    class OpenAndHalfOpen {

        private CircuitBreakerPolicy opened(CircuitBreakerPolicyBuilder builder) {
            CircuitBreakerPolicy breaker = builder.build();
            for (int i = 0; i < 4; i++) {
                fail(breaker);
            }
            assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
            return breaker;
        }

        @Test
        void anOpenBreakerRefusesCallsNamingItselfAndWhenItWillLetCallsThrough() {
            CircuitBreakerPolicy breaker = opened(breaker());
            time.advance(Duration.ofSeconds(12));
            int[] calls = {0};
            assertThatThrownBy(() -> breaker.call(() -> ++calls[0]))
                    .isInstanceOfSatisfying(CircuitOpenException.class, refused -> {
                        assertThat(refused.breaker()).isEqualTo("inventory");
                        assertThat(refused.state()).isEqualTo(CircuitState.OPEN);
                        assertThat(refused.permitsAgainIn()).contains(Duration.ofSeconds(18));
                    })
                    .hasMessage("Circuit breaker 'inventory' is OPEN and refused the call: "
                            + "it lets trial calls through in 18s");
            assertThat(calls[0]).isZero();
            assertThat(breaker.snapshot().notPermittedCalls()).isEqualTo(1);
        }

        @Test
        void afterTheOpenDurationExactlyTheTrialCallsPassAndSuccessCloses() {
            CircuitBreakerPolicy breaker = opened(breaker());
            time.advance(Duration.ofSeconds(30));
            assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
            succeed(breaker);
            succeed(breaker);
            assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
            assertThat(breaker.snapshot().bufferedCalls()).as("a fresh window").isZero();
            assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
        }

        @Test
        void failingTrialsOpenTheBreakerAgain() {
            CircuitBreakerPolicy breaker = opened(breaker());
            time.advance(Duration.ofSeconds(30));
            succeed(breaker);
            fail(breaker); // 1 of 2 = 50 %
            assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
            assertThat(transitions).endsWith("HALF_OPEN->OPEN");
        }

        @Test
        void callsBeyondTheTrialsAreRefusedWhileTheTrialsRun() {
            CircuitBreakerPolicy breaker = opened(breaker());
            time.advance(Duration.ofSeconds(30));
            List<String> inner = new ArrayList<>();
            breaker.call(() -> {
                breaker.call(() -> inner.add("second trial"));
                assertThatThrownBy(() -> breaker.call(() -> inner.add("third")))
                        .isInstanceOf(CircuitOpenException.class)
                        .hasMessageContaining("all 2 trial calls are taken");
                return "first trial";
            });
            assertThat(inner).containsExactly("second trial");
        }

        @Test
        void anIgnoredTrialGivesItsPlaceToAnotherCall() {
            CircuitBreakerPolicy breaker = opened(breaker().ignoreOn(IllegalArgumentException.class));
            time.advance(Duration.ofSeconds(30));
            assertThatThrownBy(() -> breaker.call(() -> {
                        throw new IllegalArgumentException("ignored");
                    }))
                    .isInstanceOf(IllegalArgumentException.class);
            succeed(breaker);
            assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
            succeed(breaker);
            assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        }

        @Test
        void theOpenDurationGrowsAfterEachFailedRoundOfTrialsUpToItsMaximum() {
            CircuitBreakerPolicy breaker = opened(breaker().openDurationGrowth(2.0, Duration.ofSeconds(100)));
            long[] expectedSeconds = {60, 100, 100};
            time.advance(Duration.ofSeconds(30));
            for (long seconds : expectedSeconds) {
                fail(breaker);
                fail(breaker);
                assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
                time.advance(Duration.ofSeconds(seconds).minusMillis(1));
                assertThat(breaker.state())
                        .as("still open after %d s less a millisecond", seconds)
                        .isEqualTo(CircuitState.OPEN);
                time.advance(Duration.ofMillis(1));
                assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
            }
            succeed(breaker);
            succeed(breaker);
            fail(breaker);
            fail(breaker);
            fail(breaker);
            fail(breaker);
            time.advance(Duration.ofSeconds(30));
            assertThat(breaker.state()).as("closing forgot the growth").isEqualTo(CircuitState.HALF_OPEN);
        }

        @Test
        void aCallAdmittedWhileClosedThatEndsAfterTheBreakerOpenedCountsAsNoTrial() {
            CircuitBreakerPolicy breaker = breaker().build();
            breaker.call(() -> {
                for (int i = 0; i < 4; i++) {
                    fail(breaker);
                }
                time.advance(Duration.ofSeconds(30));
                assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
                return "late success";
            });
            assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
            assertThat(breaker.snapshot().bufferedCalls()).isZero();
        }
    }

    @Nested
    class ManualStates {

        @Test
        void forcedOpenRefusesEverythingUntilMoved() {
            CircuitBreakerPolicy breaker = breaker().build();
            breaker.transitionTo(CircuitState.FORCED_OPEN);
            time.advance(Duration.ofDays(1));
            assertThatThrownBy(() -> breaker.call(() -> "x"))
                    .isInstanceOf(CircuitOpenException.class)
                    .hasMessageContaining("stays open until it is moved");
            breaker.transitionTo(CircuitState.CLOSED);
            succeed(breaker);
            assertThat(transitions).containsExactly("CLOSED->FORCED_OPEN", "FORCED_OPEN->CLOSED");
        }

        @Test
        void disabledPermitsEverythingAndRecordsNothing() {
            CircuitBreakerPolicy breaker = breaker().build();
            breaker.transitionTo(CircuitState.DISABLED);
            for (int i = 0; i < 20; i++) {
                fail(breaker);
            }
            assertThat(breaker.state()).isEqualTo(CircuitState.DISABLED);
            assertThat(recorded).isEmpty();
            assertThat(breaker.snapshot().bufferedCalls()).isZero();
        }

        @Test
        void anOperatorCanOpenAndHalfOpenTheBreaker() {
            CircuitBreakerPolicy breaker = breaker().build();
            breaker.transitionTo(CircuitState.OPEN);
            assertRefused(breaker);
            breaker.transitionTo(CircuitState.HALF_OPEN);
            succeed(breaker);
            succeed(breaker);
            assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        }

        @Test
        void resetClosesWithFreshCounts() {
            CircuitBreakerPolicy breaker = breaker().build();
            for (int i = 0; i < 4; i++) {
                fail(breaker);
            }
            assertRefused(breaker);
            breaker.reset();
            CircuitBreakerSnapshot snapshot = breaker.snapshot();
            assertThat(snapshot.state()).isEqualTo(CircuitState.CLOSED);
            assertThat(snapshot.bufferedCalls()).isZero();
            assertThat(snapshot.notPermittedCalls()).isZero();
        }
    }

    @Nested
    class AsynchronousCalls {

        @Test
        void aRefusedAsyncCallGetsAFailedFutureAndTheCallIsNotMade() {
            CircuitBreakerPolicy breaker = breaker().build();
            breaker.transitionTo(CircuitState.FORCED_OPEN);
            int[] calls = {0};
            CompletableFuture<String> result = breaker.callAsync(() -> {
                calls[0]++;
                return CompletableFuture.completedFuture("x");
            });
            assertThat(result).isCompletedExceptionally();
            assertThat(calls[0]).isZero();
        }

        @Test
        void anAsyncFailureIsRecordedWhenItsStageCompletes() {
            CircuitBreakerPolicy breaker = breaker().build();
            List<CompletableFuture<String>> pending = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                CompletableFuture<String> attempt = new CompletableFuture<>();
                pending.add(attempt);
                breaker.callAsync(() -> attempt);
            }
            assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
            pending.forEach(attempt -> attempt.completeExceptionally(new IOException("down")));
            assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        }
    }

    @Test
    void aRetryPolicyNeverRetriesARefusal() {
        CircuitBreakerPolicy breaker = breaker().build();
        breaker.transitionTo(CircuitState.FORCED_OPEN);
        RetryPolicy retry =
                RetryPolicy.builder().ticker(time).sleeper(time).maxAttempts(5).build();
        int[] attempts = {0};
        assertThatThrownBy(() -> retry.call(() -> {
                    attempts[0]++;
                    return breaker.call(() -> "x");
                }))
                .isInstanceOf(CircuitOpenException.class);
        assertThat(attempts[0]).isEqualTo(1);
        assertThat(time.sleeps()).isEmpty();
    }
}
