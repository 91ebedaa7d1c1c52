package dev.retry.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.Backoff;
import dev.retry.core.Jitter;
import dev.retry.core.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** A plain JUnit 5 user's policies in virtual time: a clock per test, shared with its set-up. */
@ExtendWith(VirtualClockExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirtualClockExtensionTests {

    private VirtualClock setUpClock;

    @BeforeEach
    void setUp(VirtualClock clock) {
        setUpClock = clock;
    }

    @Test
    @Order(1)
    void aRetriedCallWithTwoSecondDelaysFinishesAtOnceInVirtualTime(VirtualClock clock) throws IOException {
        RetryPolicy retry = RetryPolicy.builder()
                .maxAttempts(4)
                .backoff(Backoff.FIXED)
                .delay(Duration.ofSeconds(2))
                .jitter(Jitter.NONE)
                .ticker(clock)
                .sleeper(clock)
                .scheduler(clock)
                .build();
        AtomicInteger attempts = new AtomicInteger();

        String result = retry.call(() -> {
            if (attempts.incrementAndGet() < 4) {
                throw new IOException("not yet");
            }
            return "in stock";
        });

        assertThat(result).isEqualTo("in stock");
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(6));
        assertThat(clock).isSameAs(setUpClock);
    }

    @Test
    @Order(2)
    void theNextTestStartsOnAFreshClock(VirtualClock clock) {
        assertThat(clock.elapsed()).isZero();
        assertThat(clock.sleeps()).isEmpty();
        assertThat(clock).isSameAs(setUpClock);
    }
}
