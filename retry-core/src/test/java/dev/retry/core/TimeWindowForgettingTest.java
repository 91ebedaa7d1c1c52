package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A time-window breaker forgets the calls that have left its window: a burst of failures (or of
 * slow calls) two seconds ago no longer counts against a service that has answered well since, and a
 * snapshot taken after a quiet spell shows an empty window, though no call came to move it on.
 */
class TimeWindowForgettingTest {

    private final VirtualClock time = new VirtualClock();

    private CircuitBreakerPolicy breaker() {
        return CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(time)
                .timeWindow(2)
                .minimumCalls(20)
                .failureRateThreshold(50)
                .slowCallDuration(Duration.ofSeconds(1))
                .slowCallRateThreshold(50)
                .build();
    }

    @Test
    void failuresThatHaveLeftTheWindowNoLongerCountAgainstLaterSuccesses() throws Exception {
        CircuitBreakerPolicy breaker = breaker();
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> breaker.call(() -> {
                        throw new IOException("down");
                    }))
                    .isInstanceOf(IOException.class);
        }
        time.advance(Duration.ofSeconds(2)); // the window now holds seconds 1 and 2
        for (int i = 0; i < 20; i++) {
            breaker.call(() -> "fine");
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.snapshot().failedCalls()).isZero();
    }

    @Test
    void slowCallsThatHaveLeftTheWindowNoLongerCountAgainstLaterQuickOnes() throws Exception {
        CircuitBreakerPolicy breaker = breaker();
        for (int i = 0; i < 10; i++) {
            breaker.call(() -> {
                time.advance(Duration.ofMillis(1_500));
                return "slow";
            });
        }
        time.advance(Duration.ofSeconds(2));
        for (int i = 0; i < 20; i++) {
            breaker.call(() -> "quick");
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(breaker.snapshot().slowCalls()).isZero();
    }

    @Test
    void aSnapshotAfterAQuietSpellShowsAnEmptyWindow() throws Exception {
        CircuitBreakerPolicy breaker = breaker();
        for (int i = 0; i < 5; i++) {
            breaker.call(() -> "fine");
        }
        assertThat(breaker.snapshot().bufferedCalls()).isEqualTo(5);
        time.advance(Duration.ofSeconds(5));
        assertThat(breaker.snapshot().bufferedCalls())
                .as("no call since, but the window has moved on")
                .isZero();
    }
}
