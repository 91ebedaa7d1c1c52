package dev.retry.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.core.CircuitBreakerPolicy;
import dev.retry.core.CircuitState;
import dev.retry.core.Jitter;
import dev.retry.core.RetryPolicy;
import dev.retry.core.TimeoutPolicy;
import dev.retry.test.VirtualClock;
import dev.retry.test.VirtualClockExtension;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The virtual-time examples of docs/testing.md, each between its {@code tag::} and {@code end::}
 * lines as the page shows it ({@link SnippetsTests} holds them equal), run here as tests.
 */
@ExtendWith(VirtualClockExtension.class)
class VirtualTimeSnippetsTests {

    interface Inventory {
        int stock(String sku) throws IOException;
    }

    interface AsyncInventory {
        CompletionStage<Integer> stock(String sku);
    }

    @Test
    void policiesBuiltByHandRunOnTheClock(VirtualClock clock) throws IOException {
        // tag::core-virtual-clock[]
        RetryPolicy retry = RetryPolicy.builder()
                .maxAttempts(3).delay(Duration.ofSeconds(2)).jitter(Jitter.NONE)
                .ticker(clock).sleeper(clock).scheduler(clock)
                .build();
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .countWindow(10).minimumCalls(10).openDuration(Duration.ofSeconds(30))
                .ticker(clock)
                .build();
        AtomicInteger attempts = new AtomicInteger();

        int stock = retry.call(() -> breaker.call(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IOException("connection reset");
            }
            return 7;
        }));

        assertThat(stock).isEqualTo(7);
        assertThat(clock.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
        assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(6));   // and no real time at all

        breaker.transitionTo(CircuitState.OPEN);
        clock.advance(Duration.ofSeconds(30));
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        // end::core-virtual-clock[]
    }

    @Test
    void aSlowStubIsSlowOnTheClock(VirtualClock clock) throws Exception {
        // tag::slow-stub[]
        Inventory slow = sku -> {
            try {
                clock.sleep(Duration.ofSeconds(3).toNanos());     // three virtual seconds
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", interrupted);
            }
            return 7;
        };
        AsyncInventory slowAsync = sku -> {
            CompletableFuture<Integer> answer = new CompletableFuture<>();
            clock.schedule(() -> answer.complete(7), Duration.ofSeconds(3).toNanos());
            return answer;                                       // completes when the clock passes 3 s
        };
        // end::slow-stub[]

        assertThat(slow.stock("A-1")).isEqualTo(7);
        assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(3));

        // tag::async-timeout[]
        TimeoutPolicy timeout = TimeoutPolicy.builder()
                .duration(Duration.ofSeconds(1)).ticker(clock).scheduler(clock)
                .build();

        CompletableFuture<Integer> call = timeout.callAsync(() -> slowAsync.stock("A-1")).toCompletableFuture();
        clock.advance(Duration.ofSeconds(1));

        assertThat(call).isCompletedExceptionally();             // timed out on the clock, not the wall
        // end::async-timeout[]
    }
}
