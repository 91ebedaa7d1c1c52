package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.Jitter;
import dev.retry.core.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BackoffTests {

    @Test
    void twoFailuresAreRetriedAfter100And200Milliseconds() throws IOException {
        AtomicLong now = new AtomicLong();                       // a clock that moves only when we sleep
        List<Duration> waits = new ArrayList<>();
        RetryPolicy retry = RetryPolicy.builder()
                .maxAttempts(3)
                .delay(Duration.ofMillis(100))
                .jitter(Jitter.NONE)
                .ticker(now::get)
                .sleeper(nanos -> {
                    waits.add(Duration.ofNanos(nanos));
                    now.addAndGet(nanos);
                })
                .build();
        AtomicInteger attempts = new AtomicInteger();

        String answer = retry.call(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("connection reset");
            }
            return "ok";
        });

        assertThat(answer).isEqualTo("ok");
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }
}
