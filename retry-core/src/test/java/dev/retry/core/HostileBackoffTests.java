package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.test.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delays at the edges: extreme durations and multipliers, retry one million, random sources that
 * break their contract. Every delay stays within {@code [0, maxDelay]} and every call ends.
 */
class HostileBackoffTests {

    private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

    private final VirtualClock time = new VirtualClock();

    private static RetryConfig config(Backoff backoff, Jitter jitter, Duration delay, double multiplier, Duration max) {
        return RetryPolicy.builder()
                .maxAttempts(Integer.MAX_VALUE)
                .backoff(backoff)
                .jitter(jitter)
                .delay(delay)
                .multiplier(multiplier)
                .maxDelay(max)
                .buildConfig();
    }

    @Test
    void everyDelayStaysWithinZeroAndTheCapAtTheEdgesOfEveryOption() {
        List<Duration> delays = List.of(Duration.ZERO, Duration.ofNanos(1), Duration.ofMillis(100), LONGEST);
        List<Double> multipliers = List.of(1.0, 1.0000001, 2.0, 1e308, Double.MAX_VALUE);
        List<Integer> retries = List.of(1, 2, 64, 1_000_000, Integer.MAX_VALUE - 1);
        List<Long> previous = List.of(0L, -1L, 1L, Long.MAX_VALUE / 3, Long.MAX_VALUE);
        List<Double> uniforms = List.of(0.0, 0.5, Math.nextDown(1.0));
        for (Backoff backoff : Backoff.values()) {
            for (Jitter jitter : Jitter.values()) {
                for (Duration delay : delays) {
                    for (Duration max : List.of(delay, max(delay), LONGEST)) {
                        for (double multiplier : multipliers) {
                            RetryConfig config = config(backoff, jitter, delay, multiplier, max);
                            for (int retry : retries) {
                                for (long before : previous) {
                                    for (double uniform : uniforms) {
                                        long nanos = config.computedDelayNanos(retry, before, uniform);
                                        assertThat(nanos)
                                                .as(
                                                        "%s %s delay %s max %s x%s retry %d previous %d u %s",
                                                        backoff, jitter, delay, max, multiplier, retry, before, uniform)
                                                .isBetween(0L, config.maxDelayNanos);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static Duration max(Duration delay) {
        return delay.compareTo(LONGEST.dividedBy(2)) > 0
                ? LONGEST
                : delay.multipliedBy(2).plusSeconds(1);
    }

    @ParameterizedTest
    @ValueSource(
            doubles = {-0.5, -1e300, 1.0, 1.5, 1e300, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void aRandomSourceOutsideItsRangeStillGivesDelaysWithinZeroAndTheCap(double broken) {
        for (Jitter jitter : List.of(Jitter.FULL, Jitter.EQUAL, Jitter.DECORRELATED)) {
            VirtualClock clock = new VirtualClock();
            RetryPolicy retry = RetryPolicy.builder()
                    .ticker(clock)
                    .sleeper(clock)
                    .maxAttempts(4)
                    .jitter(jitter)
                    .delay(Duration.ofMillis(100))
                    .maxDelay(Duration.ofSeconds(1))
                    .random(() -> broken)
                    .build();
            int[] attempts = {0};

            assertThatThrownBy(() -> retry.call(() -> {
                        attempts[0]++;
                        throw new IOException("down");
                    }))
                    .as("%s with u = %s", jitter, broken)
                    .isInstanceOf(IOException.class);

            assertThat(attempts[0])
                    .as("%s with u = %s: every attempt is made", jitter, broken)
                    .isEqualTo(4);
            assertThat(clock.sleeps())
                    .as("%s with u = %s", jitter, broken)
                    .allSatisfy(sleep -> assertThat(sleep).isBetween(Duration.ZERO, Duration.ofSeconds(1)));
        }
    }

    @Test
    void theLongestDelayIsSleptAsTheLongestDelayNotAsANegativeOne() throws IOException {
        RetryPolicy retry = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .maxAttempts(2)
                .jitter(Jitter.NONE)
                .delay(Duration.ofSeconds(Long.MAX_VALUE))
                .build();

        assertThat(retry.call(new FailingThen<>(1, "ok"))).isEqualTo("ok");

        assertThat(time.sleeps()).containsExactly(LONGEST);
    }

    @Test
    void aRequestedDelayHugeOrNegativeIsCappedOrTakenAsNoWait() throws IOException {
        Duration[] requested = {
            Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
            Duration.ofSeconds(Long.MIN_VALUE),
            Duration.ofNanos(-1),
            Duration.ZERO
        };
        int[] index = {0};
        RetryPolicy retry = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .maxAttempts(5)
                .maxDelay(Duration.ofSeconds(5))
                .requestedDelay(failure -> requested[index[0]++])
                .build();

        assertThat(retry.call(new FailingThen<>(4, "ok"))).isEqualTo("ok");

        assertThat(time.sleeps()).as("zero delays are not slept").containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void aMaxDurationOfTheLongestDurationMeansNoPracticalLimit() throws IOException {
        RetryPolicy retry = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .maxAttempts(3)
                .jitter(Jitter.NONE)
                .maxDuration(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999))
                .build();

        assertThat(retry.call(new FailingThen<>(2, "ok"))).isEqualTo("ok");
    }

    @Test
    void aMaxDurationOfOneNanosecondStopsBeforeAnyRetryThatWaits() {
        RetryPolicy retry = RetryPolicy.builder()
                .ticker(time)
                .sleeper(time)
                .maxAttempts(3)
                .jitter(Jitter.NONE)
                .maxDuration(Duration.ofNanos(1))
                .build();

        assertThatThrownBy(() -> retry.call(new FailingThen<>(2, "ok"))).isInstanceOf(IOException.class);
        assertThat(time.sleeps()).isEmpty();
    }

    @Test
    void refusedValuesNameTheOptionTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(Double.NaN))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("multiplier must be a finite number of at least 1.0, but was NaN");
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5))
                .hasMessage("multiplier must be a finite number of at least 1.0, but was 0.5");
        assertThatThrownBy(() -> RetryPolicy.builder().delay(Duration.ofNanos(-1)))
                .isInstanceOf(InvalidOptionException.class)
                .hasMessageContaining("delay must be a duration of zero or more");
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(Integer.MIN_VALUE))
                .hasMessage("maxAttempts must be a whole number of at least 1, but was " + Integer.MIN_VALUE);
        assertThatThrownBy(() -> RetryPolicy.builder().budget(Double.NaN, 0))
                .isInstanceOf(InvalidOptionException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().budget(Double.POSITIVE_INFINITY, 0))
                .isInstanceOf(InvalidOptionException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().budget(1, -1))
                .hasMessageContaining("budget.minRetriesPerSecond");
        assertThatThrownBy(() ->
                        RetryPolicy.builder().maxDelay(Duration.ofMillis(1)).build())
                .isInstanceOf(InvalidOptionException.class)
                .hasMessage("maxDelay must be a duration of at least delay (100ms), but was 1ms");
    }

    /** Fails with an IOException {@code failures} times, then returns {@code value}. */
    private static final class FailingThen<T> implements CheckedSupplier<T, IOException> {
        private final T value;
        private int failuresLeft;

        FailingThen(int failures, T value) {
            this.failuresLeft = failures;
            this.value = value;
        }

        @Override
        public T get() throws IOException {
            if (failuresLeft-- > 0) {
                throw new IOException("down");
            }
            return value;
        }
    }
}
