package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Breakers on the system clock, the production path, which every other breaker test replaces with
 * a ticker of its own. Without a listener a breaker times its calls with the coarse clock, whose
 * reading a daemon thread refreshes; with one, the listener gets exact durations. These tests let
 * real time pass (a few hundred milliseconds), since the clock under test is the real one.
 */
class CircuitBreakerSystemClockTest {

    /** Parks until this much real time has passed: what a slow downstream call looks like. */
    private static void takeAtLeast(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    @Test
    void aBreakerOnTheSystemClockWithoutAListenerJudgesASlowCallSlowEvenAfterTheCoreThreadsWereStopped() {
        // As after an application's redeployment: the coarse clock's refresher is gone, and the new
        // breaker must start it again, or every call would read one frozen instant.
        CoreThreads.stop();
        // 100 ms is timed by the coarse clock (refreshed every 1/64 of it); the call takes three times that,
        // so even a starved refresher leaves it well over the limit.
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .countWindow(1)
                .minimumCalls(1)
                .slowCallDuration(Duration.ofMillis(100))
                .slowCallRateThreshold(100)
                .build();
        breaker.run(() -> takeAtLeast(Duration.ofMillis(300)));
        assertThat(breaker.state())
                .as("one slow call in a window of one opens it")
                .isEqualTo(CircuitState.OPEN);
    }

    @Test
    void aListenerOnASystemClockBreakerGetsEachCallsExactDuration() {
        List<Long> durations = new CopyOnWriteArrayList<>();
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onCallRecorded(String name, Outcome outcome, boolean slow, long durationNanos) {
                        durations.add(durationNanos);
                    }
                })
                .build(); // a 60 s slow-call duration: a coarse clock would read in steps of almost a second
        for (int i = 0; i < 20; i++) {
            breaker.run(() -> takeAtLeast(Duration.ofMillis(1)));
        }
        assertThat(durations)
                .hasSize(20)
                .allSatisfy(nanos -> assertThat(nanos)
                        .as("a 1 ms call measured exactly, not in coarse steps")
                        .isBetween(TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(30)));
    }

    /** Records the durations it is told, and says whether it needs them exact. */
    private static CircuitBreakerListener recording(List<Long> durations, boolean exact) {
        return new CircuitBreakerListener() {
            @Override
            public void onCallRecorded(String name, Outcome outcome, boolean slow, long durationNanos) {
                durations.add(durationNanos);
            }

            @Override
            public boolean needsExactDurations() {
                return exact;
            }
        };
    }

    @Test
    void aListenerThatNeedsNoExactDurationsLeavesTheBreakerOnItsCoarseClock() {
        List<Long> durations = new CopyOnWriteArrayList<>();
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .listener(recording(durations, false))
                .build(); // a 60 s slow-call duration: the coarse clock moves in steps of about 0.94 s
        for (int i = 0; i < 20; i++) {
            breaker.run(() -> takeAtLeast(Duration.ofMillis(1)));
        }
        // The exact clock never reads 0 for a call of 1 ms; the coarse one does for every call that no
        // step of its refresher falls within, which is nearly all of 20 calls lasting some 20 ms.
        assertThat(durations).hasSize(20);
        assertThat(durations.stream().filter(nanos -> nanos == 0).count())
                .as("calls the coarse clock saw take no time")
                .isGreaterThanOrEqualTo(10);
    }

    @Test
    void oneListenerThatNeedsExactDurationsGetsThemForEveryListener() {
        List<Long> coarseEnough = new CopyOnWriteArrayList<>();
        List<Long> exact = new CopyOnWriteArrayList<>();
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .listener(recording(coarseEnough, false))
                .listener(recording(exact, true))
                .build();
        for (int i = 0; i < 5; i++) {
            breaker.run(() -> takeAtLeast(Duration.ofMillis(1)));
        }
        assertThat(exact)
                .hasSize(5)
                .allSatisfy(nanos -> assertThat(nanos)
                        .as("a 1 ms call measured exactly")
                        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1)));
        assertThat(coarseEnough).isEqualTo(exact);
    }

    @Test
    void aReconfiguredBreakerKeepsTimingWithTheClockItsListenersAskedFor() {
        // A change while running builds the breaker's timing again: it must ask its listeners again too.
        List<Long> exact = new CopyOnWriteArrayList<>();
        List<Long> coarseEnough = new CopyOnWriteArrayList<>();
        CircuitBreakerPolicy exactBreaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .listener(recording(exact, true))
                .build();
        CircuitBreakerPolicy coarseBreaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .listener(recording(coarseEnough, false))
                .build();
        exactBreaker.reconfigure(exactBreaker.config());
        coarseBreaker.reconfigure(coarseBreaker.config());
        for (int i = 0; i < 20; i++) {
            exactBreaker.run(() -> takeAtLeast(Duration.ofMillis(1)));
            coarseBreaker.run(() -> takeAtLeast(Duration.ofMillis(1)));
        }
        assertThat(exact)
                .hasSize(20)
                .allSatisfy(nanos -> assertThat(nanos)
                        .as("a 1 ms call measured exactly after the change")
                        .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1)));
        assertThat(coarseEnough.stream().filter(nanos -> nanos == 0).count())
                .as("calls the coarse clock saw take no time, after the change as before it")
                .isGreaterThanOrEqualTo(10);
    }

    @Test
    void aListenerThatFailsToSayWhetherItNeedsExactDurationsGetsThem() {
        List<Long> durations = new CopyOnWriteArrayList<>();
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .name("inventory")
                .listener(new CircuitBreakerListener() {
                    @Override
                    public void onCallRecorded(String name, Outcome outcome, boolean slow, long durationNanos) {
                        durations.add(durationNanos);
                    }

                    @Override
                    public boolean needsExactDurations() {
                        throw new IllegalStateException("not ready");
                    }
                })
                .build();
        breaker.run(() -> takeAtLeast(Duration.ofMillis(1)));
        assertThat(durations)
                .singleElement()
                .satisfies(nanos -> assertThat(nanos).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(1)));
    }
}
