package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A call through a retry with listeners and a breaker that times each call (as with the starter's
 * meters) reads the clock once at its start and once at its end: the breaker starts timing the first
 * attempt from the retry's reading instead of reading the clock itself. Later attempts, and a breaker
 * behind a bulkhead, are timed from a reading of their own. In virtual time, with a clock that counts
 * its readings.
 */
class SharedClockReadingTest {

    /** A hand-moved clock that counts how often it is read. */
    private static final class CountingClock implements Ticker, Sleeper {

        long now = 1L << 40;
        int readings;

        @Override
        public long nanoTime() {
            readings++;
            return now;
        }

        @Override
        public void sleep(long nanos) {
            now += nanos;
        }

        void pass(Duration duration) {
            now += duration.toNanos();
        }
    }

    private final CountingClock clock = new CountingClock();
    private final List<Long> durations = new ArrayList<>();
    private final List<String> successes = new ArrayList<>();

    private RetryPolicy retry() {
        return RetryPolicy.builder()
                .name("inventory")
                .ticker(clock)
                .sleeper(clock)
                .jitter(Jitter.NONE)
                .delay(Duration.ofMillis(100))
                .listener(new RetryListener() {
                    @Override
                    public void onCallSucceeded(String policy, int attempts) {
                        successes.add(policy + " after " + attempts);
                    }
                })
                .build();
    }

    private CircuitBreakerPolicy breaker() {
        return CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(clock)
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onCallRecorded(String breaker, Outcome outcome, boolean slow, long durationNanos) {
                        durations.add(durationNanos);
                    }
                })
                .build();
    }

    @Test
    void aFirstAttemptSuccessReadsTheClockOnceAtTheStartAndOnceAtTheEnd() {
        Pipeline pipeline =
                Pipeline.builder().retry(retry()).circuitBreaker(breaker()).build();
        int before = clock.readings;
        String answer = pipeline.call(() -> {
            clock.pass(Duration.ofMillis(7));
            return "ok";
        });
        assertThat(answer).isEqualTo("ok");
        assertThat(clock.readings - before)
                .as("clock readings of one successful call")
                .isEqualTo(2);
        assertThat(durations)
                .as("the breaker timed the call from the retry's reading")
                .containsExactly(Duration.ofMillis(7).toNanos());
        assertThat(successes).containsExactly("inventory after 1");
    }

    @Test
    void aRetriedAttemptIsTimedFromItsOwnStartNotFromTheCalls() throws IOException {
        Pipeline pipeline =
                Pipeline.builder().retry(retry()).circuitBreaker(breaker()).build();
        int[] attempts = {0};
        String answer = pipeline.call(() -> {
            if (attempts[0]++ == 0) {
                clock.pass(Duration.ofMillis(3));
                throw new IOException("once");
            }
            clock.pass(Duration.ofMillis(5));
            return "ok";
        });
        assertThat(answer).isEqualTo("ok");
        assertThat(durations)
                .as("the first attempt's 3 ms, then the second's 5 ms, the 100 ms backoff in neither")
                .containsExactly(
                        Duration.ofMillis(3).toNanos(), Duration.ofMillis(5).toNanos());
        assertThat(successes).containsExactly("inventory after 2");
    }

    @Test
    void aBreakerBehindABulkheadReadsItsOwnStartSoThatAWaitForAPermitIsNotTheCallees() {
        BulkheadPolicy bulkhead =
                BulkheadPolicy.builder().name("pool").maxConcurrentCalls(1).build();
        Pipeline pipeline = Pipeline.builder()
                .retry(retry())
                .bulkhead(bulkhead)
                .circuitBreaker(breaker())
                .build();
        int before = clock.readings;
        pipeline.call(() -> {
            clock.pass(Duration.ofMillis(7));
            return "ok";
        });
        assertThat(clock.readings - before)
                .as("the retry's reading, and the breaker's own two")
                .isEqualTo(3);
        assertThat(durations).containsExactly(Duration.ofMillis(7).toNanos());
    }

    @Test
    void aBreakerCalledOnItsOwnStillTimesItsCalls() {
        CircuitBreakerPolicy breaker = breaker();
        breaker.call(() -> {
            clock.pass(Duration.ofMillis(9));
            return "ok";
        });
        assertThat(durations).containsExactly(Duration.ofMillis(9).toNanos());
    }

    @Test
    void aBreakerOnAnotherClockThanTheRetrysReadsItsOwn() {
        CountingClock other = new CountingClock();
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .ticker(other)
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onCallRecorded(String name, Outcome outcome, boolean slow, long durationNanos) {
                        durations.add(durationNanos);
                    }
                })
                .build();
        Pipeline pipeline =
                Pipeline.builder().retry(retry()).circuitBreaker(breaker).build();
        pipeline.call(() -> {
            other.now += Duration.ofMillis(4).toNanos();
            return "ok";
        });
        assertThat(durations)
                .as("timed on its own clock, never a difference of two clocks' readings")
                .containsExactly(Duration.ofMillis(4).toNanos());
    }
}
