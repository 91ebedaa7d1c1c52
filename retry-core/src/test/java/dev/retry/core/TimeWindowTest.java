package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A time-window breaker must open at any volume one JVM can produce, and a longer window must not
 * make each call dearer.
 */
class TimeWindowTest {

    private static final long SECOND = 1_000_000_000L;

    /**
     * The audit's case: 50,000 calls a second on a 60 s window with a 90 % threshold. The old window
     * packed failures into 21 bits; past 2^21 failures they spilled into the slow-call count, and
     * after a full minute of total outage it reported 30 % and stayed closed.
     */
    @Test
    void aTimeWindowBreakerOpensWithinAMinuteOfTotalOutageAt50000CallsPerSecond() {
        long[] now = {0L};
        long callEvery = SECOND / 50_000;
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .ticker(() -> now[0])
                .timeWindow(60)
                .minimumCalls(100)
                .failureRateThreshold(90)
                .build();
        for (int i = 0; i < 60 * 50_000; i++) { // a healthy minute fills the window: three million calls
            breaker.call(() -> "ok");
            now[0] += callEvery;
        }
        long outageBegan = now[0];
        IllegalStateException down =
                new IllegalStateException("down"); // one instance: millions of stack traces are slow
        float rateAfterHalfAMinute = -2f;
        while (breaker.state() == CircuitState.CLOSED && now[0] - outageBegan < 60 * SECOND) {
            try {
                breaker.call(() -> {
                    throw down;
                });
            } catch (IllegalStateException expected) {
                // the outage
            }
            now[0] += callEvery;
            if (now[0] - outageBegan == 30 * SECOND) {
                rateAfterHalfAMinute = breaker.snapshot().failureRate();
            }
        }
        assertThat(rateAfterHalfAMinute).as("failure rate after 30 s of outage").isBetween(49f, 51f);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        // 90 % of the window is 54 of its 60 seconds.
        assertThat(Duration.ofNanos(now[0] - outageBegan)).isBetween(Duration.ofSeconds(53), Duration.ofSeconds(55));
    }

    @Test
    void countsStayExactPastEveryLimitOfThePackedCountsInOneSecond() {
        TimeWindow window = new TimeWindow(10, 0L);
        int calls = (1 << 22) + 5;
        long failures = 0;
        long slow = 0;
        for (int i = 0; i < calls; i++) {
            boolean failed = i % 2 == 0;
            boolean slowCall = i % 2 == 0 || i % 3 == 0;
            failures += failed ? 1 : 0;
            slow += slowCall ? 1 : 0;
            window.recordAndJudge(failed, slowCall, SECOND / 2, 1, 100f, 100f);
        }
        assertThat(failures).isGreaterThan(1L << 21);
        assertThat(window.counts(SECOND / 2)).isEqualTo(new SlidingWindow.Counts(calls, failures, slow));
    }

    @Test
    void theCountsAreAlwaysThoseOfTheLastSecondsWhateverTheGapsBetweenCalls() {
        Generated.check(
                300,
                draw -> {
                    int seconds = draw.intBetween(1, 8);
                    List<long[]> calls = new ArrayList<>(); // {nanos since the window began, failed, slow}
                    long now = 0;
                    int count = draw.intBetween(1, 120);
                    for (int i = 0; i < count; i++) {
                        now += draw.chance(0.7) ? draw.longBetween(0, SECOND / 3) : draw.longBetween(0, 12 * SECOND);
                        calls.add(new long[] {now, draw.chance(0.4) ? 1 : 0, draw.chance(0.3) ? 1 : 0});
                    }
                    return new Object[] {seconds, calls};
                },
                generated -> {
                    int seconds = (Integer) generated[0];
                    @SuppressWarnings("unchecked")
                    List<long[]> calls = (List<long[]>) generated[1];
                    long origin = 123_456_789L;
                    TimeWindow window = new TimeWindow(seconds, origin);
                    for (int i = 0; i < calls.size(); i++) {
                        long[] call = calls.get(i);
                        window.recordAndJudge(call[1] == 1, call[2] == 1, origin + call[0], 1, 100f, 100f);
                        long second = call[0] / SECOND;
                        long expectedCalls = 0;
                        long expectedFailures = 0;
                        long expectedSlow = 0;
                        for (int j = 0; j <= i; j++) {
                            long[] earlier = calls.get(j);
                            if (earlier[0] / SECOND > second - seconds) {
                                expectedCalls++;
                                expectedFailures += earlier[1];
                                expectedSlow += earlier[2];
                            }
                        }
                        assertThat(window.counts(origin + call[0]))
                                .as("after call %d at %d ns of a %d s window", i, call[0], seconds)
                                .isEqualTo(new SlidingWindow.Counts(expectedCalls, expectedFailures, expectedSlow));
                    }
                });
    }

    /**
     * The old window summed every one of its seconds on every call: a million calls into a window of a
     * million seconds took 10^12 reads. Now a call costs the same whatever the size; the limit is a
     * thousand times what the calls need even on a busy machine.
     */
    @Test
    void aCallCostsNoMoreInAWindowOfAMillionSecondsThanInOneOfTen() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            TimeWindow window = new TimeWindow(CircuitBreakerPolicyBuilder.MAX_WINDOW_SIZE, 0L);
            for (int i = 0; i < 1_000_000; i++) {
                window.recordAndJudge(i % 10 == 0, false, i * (SECOND / 1_000), 100, 50f, 100f);
            }
            // a thousand seconds of calls, each of them inside the window
            assertThat(window.counts(1_000 * SECOND).calls()).isEqualTo(1_000_000);
        });
    }
}
