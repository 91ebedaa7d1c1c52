package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * How a breaker books each call, as its listener (and so the meters) hears it: a success, a
 * failure, or a call that counts neither way; and what a listener hears of refused calls.
 */
class CircuitBreakerOutcomeTest {

    private final VirtualClock time = new VirtualClock();
    private final List<String> heard = new ArrayList<>();

    private CircuitBreakerPolicyBuilder breaker() {
        return CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(time)
                .countWindow(4)
                .minimumCalls(4)
                .failureRateThreshold(50)
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onCallRecorded(String breaker, Outcome outcome, boolean slow, long durationNanos) {
                        heard.add(outcome.name());
                    }

                    @Override
                    public void onCallRejected(String breaker, CircuitState state) {
                        heard.add("rejected while " + state);
                    }
                });
    }

    @Test
    void aResultTheBreakerDoesNotObjectToIsBookedAsASuccess() throws Exception {
        CircuitBreakerPolicy breaker =
                breaker().recordResultIf(result -> "error".equals(result)).build();
        assertThat(breaker.call(() -> "fine")).isEqualTo("fine");
        assertThat(breaker.call(() -> "error")).isEqualTo("error");
        assertThat(heard).containsExactly("SUCCESS", "FAILURE");
    }

    @Test
    void aFailureOutsideRecordOnIsBookedAsASuccessTheCalleeAnswered() {
        CircuitBreakerPolicy breaker = breaker().recordOn(IOException.class).build();
        assertThatThrownBy(() -> breaker.call(() -> {
                    throw new IllegalStateException("not found");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> breaker.call(() -> {
                    throw new IOException("down");
                }))
                .isInstanceOf(IOException.class);
        assertThat(heard).containsExactly("SUCCESS", "FAILURE");
    }

    @Test
    void anErrorIsABugInThisProcessAndCountsNeitherWay() {
        CircuitBreakerPolicy breaker = breaker().build();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                        throw new AssertionError("a bug of ours");
                    }))
                    .isInstanceOf(AssertionError.class);
        }
        assertThat(heard).containsExactly("IGNORED", "IGNORED", "IGNORED", "IGNORED");
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.snapshot().bufferedCalls()).isZero();
    }

    @Test
    void anExceptionIsAFailureWhenNothingNarrowsWhatCounts() {
        CircuitBreakerPolicy breaker = breaker().build();
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                        throw new IOException("down");
                    }))
                    .isInstanceOf(IOException.class);
        }
        assertThat(heard).containsOnly("FAILURE").hasSize(4);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void aRefusedCallIsToldToTheListenerWithTheStateThatRefusedIt() {
        CircuitBreakerPolicy breaker = breaker().build();
        breaker.transitionTo(CircuitState.OPEN);
        assertThatThrownBy(() -> breaker.call(() -> "never")).isInstanceOf(CircuitOpenException.class);
        breaker.transitionTo(CircuitState.FORCED_OPEN);
        assertThatThrownBy(() -> breaker.call(() -> "never")).isInstanceOf(CircuitOpenException.class);
        assertThat(heard).containsExactly("rejected while OPEN", "rejected while FORCED_OPEN");
        assertThat(breaker.snapshot().notPermittedCalls()).isEqualTo(2);
    }

    @Test
    void aDisabledBreakerHandsBackTheCallsResultAndBooksNothing() throws Exception {
        CircuitBreakerPolicy breaker = breaker().build();
        breaker.transitionTo(CircuitState.DISABLED);
        assertThat(breaker.call(() -> "fine")).isEqualTo("fine");
        assertThat(breaker.callAsync(() -> CompletableFuture.completedFuture("fine async")))
                .isCompletedWithValue("fine async");
        assertThat(heard).isEmpty();
    }

    @Test
    void anAsynchronousCallWhoseStageCannotBeMadeIsBookedAsAFailure() {
        CircuitBreakerPolicy breaker = breaker().build();
        Supplier<CompletionStage<String>> unreachable = () -> {
            throw new IllegalStateException("no connection to make the request on");
        };
        for (int i = 0; i < 4; i++) {
            CompletableFuture<String> call = breaker.callAsync(unreachable);
            assertThat(call.handle((value, failure) -> failure).join())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("no connection to make the request on");
        }
        assertThat(heard).containsOnly("FAILURE").hasSize(4);
        assertThat(breaker.state()).as("four failures in a window of four").isEqualTo(CircuitState.OPEN);
    }
}
