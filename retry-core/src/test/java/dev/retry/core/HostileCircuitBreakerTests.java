package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The breaker's half-open trials when the configuration changes under them or its own rules
 * throw: the trials must still end in a decision, never leave the breaker refusing every call for ever.
 */
class HostileCircuitBreakerTests {

    private static final Duration OPEN = Duration.ofSeconds(30);

    private final VirtualClock time = new VirtualClock();
    private final List<String> transitions = new ArrayList<>();

    private CircuitBreakerPolicyBuilder breaker() {
        return CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(time)
                .countWindow(2)
                .minimumCalls(2)
                .failureRateThreshold(50)
                .openDuration(OPEN)
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onStateTransition(String name, CircuitState from, CircuitState to) {
                        transitions.add(from + "->" + to);
                    }
                });
    }

    /** Opens the breaker with two failures and lets its open time pass. */
    private void openAndWait(CircuitBreakerPolicy breaker) {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                        throw new IOException("down");
                    }))
                    .isInstanceOf(IOException.class);
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        time.advance(OPEN);
    }

    private static CompletableFuture<String> trial(CircuitBreakerPolicy breaker) {
        CompletableFuture<String> attempt = new CompletableFuture<>();
        assertThat(breaker.callAsync(() -> attempt)).isNotDone();
        return attempt;
    }

    @Test
    void fewerTrialCallsConfiguredWhileTrialsRunStillEndsTheHalfOpenState() {
        CircuitBreakerPolicy breaker = breaker().halfOpenCalls(3).build();
        openAndWait(breaker);
        List<CompletableFuture<String>> trials = List.of(trial(breaker), trial(breaker), trial(breaker));
        trials.get(0).complete("ok");
        trials.get(1).complete("ok");

        breaker.reconfigure(
                CircuitBreakerPolicy.builder(breaker.config()).halfOpenCalls(2).buildConfig());
        trials.get(2).complete("ok");

        assertThat(breaker.state())
                .as("three successful trials, more than the two now asked for: the breaker closes")
                .isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.call(() -> "served")).isEqualTo("served");
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void moreTrialCallsConfiguredWhileTrialsRunAdmitsTheExtraOnesAndThenDecides() {
        CircuitBreakerPolicy breaker = breaker().halfOpenCalls(1).build();
        openAndWait(breaker);
        CompletableFuture<String> first = trial(breaker);

        breaker.reconfigure(
                CircuitBreakerPolicy.builder(breaker.config()).halfOpenCalls(2).buildConfig());
        CompletableFuture<String> second = trial(breaker);
        assertThatThrownBy(() -> breaker.call(() -> "third")).isInstanceOf(CircuitOpenException.class);
        first.complete("ok");
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        second.complete("ok");

        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void aRecordIfThatThrowsOnATrialGivesTheTrialBackAndSurfacesWithTheCallsFailure() {
        IllegalStateException broken = new IllegalStateException("recordIf broke");
        IOException odd = new IOException("odd");
        CircuitBreakerPolicy breaker = breaker()
                .halfOpenCalls(1)
                .recordIf(failure -> {
                    if (failure == odd) {
                        throw broken;
                    }
                    return true;
                })
                .build();
        openAndWait(breaker);

        assertThatThrownBy(() -> breaker.call(() -> {
                    throw odd;
                }))
                .isSameAs(broken);
        assertThat(broken.getSuppressed())
                .as("the call's own failure is not lost")
                .containsExactly(odd);

        assertThat(breaker.call(() -> "trial"))
                .as("the trial the broken rule could not judge is given to the next call")
                .isEqualTo("trial");
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void aResultRuleThatThrowsOnAnAsynchronousTrialEndsTheFutureAndGivesTheTrialBack() {
        IllegalStateException broken = new IllegalStateException("recordResultIf broke");
        CircuitBreakerPolicy breaker = breaker()
                .halfOpenCalls(1)
                .recordResultIf(result -> {
                    if ("odd".equals(result)) {
                        throw broken;
                    }
                    return false;
                })
                .build();
        openAndWait(breaker);

        CompletableFuture<String> result = breaker.callAsync(() -> CompletableFuture.completedFuture("odd"));

        assertThat(result).as("the caller is told, not left waiting").isCompletedExceptionally();
        assertThatThrownBy(result::join).hasCause(broken);
        assertThat(breaker.callAsync(() -> CompletableFuture.completedFuture("fine")))
                .isCompletedWithValue("fine");
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void aWindowOfOneCallOpensOnOneFailureAndClosesOnOneSuccess() {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .ticker(time)
                .countWindow(1)
                .minimumCalls(1)
                .halfOpenCalls(1)
                .openDuration(OPEN)
                .build();

        assertThatThrownBy(() -> breaker.call(() -> {
                    throw new IOException("down");
                }))
                .isInstanceOf(IOException.class);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        time.advance(OPEN);
        assertThat(breaker.call(() -> "ok")).isEqualTo("ok");
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void refusedValuesNameTheOptionTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> CircuitBreakerPolicy.builder()
                        .countWindow(5)
                        .minimumCalls(6)
                        .build())
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("windowSize must be a whole number of at least minimumCalls (6), but was 5");
        assertThatThrownBy(() -> CircuitBreakerPolicy.builder().failureRateThreshold(Float.NaN))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("failureRateThreshold");
        assertThatThrownBy(() -> CircuitBreakerPolicy.builder().openDuration(Duration.ZERO))
                .hasMessage("openDuration must be a duration of more than zero, but was 0s");
        assertThatThrownBy(() -> CircuitBreakerPolicy.builder().halfOpenCalls(0))
                .isInstanceOf(InvalidOptionException.class);
        assertThatThrownBy(() -> CircuitBreakerPolicy.builder().openDurationGrowth(Double.POSITIVE_INFINITY, OPEN))
                .isInstanceOf(InvalidOptionException.class);
        assertThatThrownBy(() -> CircuitBreakerPolicy.builder().countWindow(Integer.MAX_VALUE))
                .isInstanceOf(InvalidOptionException.class);
    }

    @Test
    void aListenerThatThrowsAnErrorStillLetsTheTrialCloseTheBreaker() {
        // Listeners' RuntimeExceptions are logged; an Error (a test's AssertionError, say) reaches the
        // caller. It must not also keep the trial that it interrupted from being counted.
        CircuitBreakerPolicy breaker = breaker()
                .halfOpenCalls(1)
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onCallRecorded(
                            String name, CircuitBreakerListener.Outcome outcome, boolean slow, long durationNanos) {
                        if (outcome == CircuitBreakerListener.Outcome.SUCCESS) {
                            throw new AssertionError("a listener's own check failed");
                        }
                    }
                })
                .build();
        openAndWait(breaker);

        assertThatThrownBy(() -> breaker.call(() -> "fine"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("a listener's own check failed");

        assertThat(breaker.state())
                .as("the successful trial was counted before the listener's error went on to the caller")
                .isEqualTo(CircuitState.CLOSED);
        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }
}
