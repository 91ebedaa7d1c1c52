package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** A failure that is the callee's answer ("not found") counts as a success and can never open the breaker. */
class CircuitBreakerSuccessIfTest {

    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    private final Predicate<Throwable> answered = failure -> failure instanceof NotFound;

    @Test
    void aRunOfAnswersKeepsTheBreakerClosedAndCountsAsSuccesses() {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .countWindow(10)
                .minimumCalls(10)
                .successIf(answered)
                .ticker(new VirtualClock())
                .build();
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                        throw new NotFound();
                    }))
                    .as("the caller still gets the answer")
                    .isInstanceOf(NotFound.class);
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.snapshot().failedCalls()).isZero();
        assertThat(breaker.snapshot().failureRate()).isZero();
    }

    @Test
    void otherFailuresStillOpenIt() {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .countWindow(10)
                .minimumCalls(10)
                .successIf(answered)
                .ticker(new VirtualClock())
                .build();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                        throw new IllegalStateException("down");
                    }))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void ignoreOnWinsOverSuccessIf() {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .ignoreOn(NotFound.class)
                .successIf(answered)
                .ticker(new VirtualClock())
                .build();
        assertThatThrownBy(() -> breaker.call(() -> {
                    throw new NotFound();
                }))
                .isInstanceOf(NotFound.class);
        assertThat(breaker.snapshot().bufferedCalls()).isZero();
    }

    @Test
    void successIfIsSetOnce() {
        assertThatThrownBy(
                        () -> CircuitBreakerPolicy.builder().successIf(answered).successIf(answered))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("successIf was already set");
    }
}
