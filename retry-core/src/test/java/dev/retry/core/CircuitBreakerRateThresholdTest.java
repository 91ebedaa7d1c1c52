package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The failure and slow-call rates against their thresholds, just either side of them: 3 calls in 10
 * are a rate of 30 %, which opens a breaker whose threshold is 30 % and leaves one at 31 % closed.
 */
class CircuitBreakerRateThresholdTest {

    private static final long START = 1L << 62;

    @Test
    void aSlowCallRateOnTheThresholdOpensTheBreaker() throws Exception {
        assertThat(afterThreeSlowCallsInTen(30f)).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void aSlowCallRateJustBelowTheThresholdLeavesTheBreakerClosed() throws Exception {
        assertThat(afterThreeSlowCallsInTen(31f)).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void aFailureRateOnTheThresholdOpensTheBreaker() {
        assertThat(afterThreeFailuresInTen(30f)).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void aFailureRateJustBelowTheThresholdLeavesTheBreakerClosed() {
        assertThat(afterThreeFailuresInTen(31f)).isEqualTo(CircuitState.CLOSED);
    }

    private static CircuitState afterThreeFailuresInTen(float failureRateThreshold) {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(() -> START)
                .countWindow(10)
                .minimumCalls(10)
                .failureRateThreshold(failureRateThreshold)
                .build();
        for (int i = 0; i < 10; i++) {
            boolean fails = i < 3;
            try {
                breaker.call(() -> {
                    if (fails) {
                        throw new IOException("down");
                    }
                    return "ok";
                });
            } catch (IOException expected) {
                // counted by the breaker
            }
        }
        return breaker.state();
    }

    private static CircuitState afterThreeSlowCallsInTen(float slowCallRateThreshold) throws Exception {
        AtomicLong now = new AtomicLong(START);
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(now::get)
                .countWindow(10)
                .minimumCalls(10)
                .slowCallDuration(Duration.ofSeconds(1))
                .slowCallRateThreshold(slowCallRateThreshold)
                .build();
        for (int i = 0; i < 10; i++) {
            boolean slow = i < 3;
            breaker.call(() -> now.addAndGet(slow ? Duration.ofSeconds(2).toNanos() : 1));
        }
        return breaker.state();
    }
}
