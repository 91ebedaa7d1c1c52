package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Synchronous timeouts on the real clock and timer, the way an application runs them: no timer per
 * attempt, one watchdog thread for all. These tests run in real time, so they assert what happened
 * (who was interrupted, after how long by the attempt's own clock), never that it happened quickly:
 * a loaded machine may run the watchdog late, never early.
 */
@Timeout(120)
class TimeoutWatchdogTest {

    private static final Duration LIMIT = Duration.ofMillis(20);

    private final ExecutorService pool = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static TimeoutPolicy onTheSystemClock() {
        return TimeoutPolicy.builder().name("catalog").duration(LIMIT).build();
    }

    @Test
    void anAttemptBlockedPastItsDeadlineIsInterruptedAndTheCallFailsWithTheTimeout() {
        TimeoutPolicy timeout = onTheSystemClock();
        CountDownLatch never = new CountDownLatch(1);
        long start = System.nanoTime();
        assertThatThrownBy(() -> timeout.call(() -> never.await(20, TimeUnit.SECONDS)))
                .isInstanceOf(AttemptTimeoutException.class)
                .satisfies(thrown -> assertThat(thrown.getSuppressed())
                        .as("what the attempt threw on being interrupted")
                        .hasAtLeastOneElementOfType(InterruptedException.class));
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(LIMIT.toNanos());
        assertThat(Thread.currentThread().isInterrupted())
                .as("the timeout's own interrupt is taken back")
                .isFalse();
        assertThat(liveThreadNames())
                .as("no timer per attempt: the watchdog did it")
                .contains("retry-timeout");
    }

    @Test
    void theNextAttemptOnTheSameThreadIsNeverInterruptedByTheDeadlineOfTheOneBefore() throws Exception {
        TimeoutPolicy timeout = onTheSystemClock();
        CountDownLatch never = new CountDownLatch(1);
        assertThatThrownBy(() -> timeout.call(() -> never.await(20, TimeUnit.SECONDS)))
                .isInstanceOf(AttemptTimeoutException.class);
        // Attempts that each return in time, run for well over a deadline in all: none is interrupted.
        long until = System.nanoTime() + 5 * LIMIT.toNanos();
        int attempts = 0;
        while (System.nanoTime() < until) {
            boolean interrupted = timeout.call(() -> Thread.currentThread().isInterrupted());
            assertThat(interrupted)
                    .as("attempt %d found an interrupt", attempts)
                    .isFalse();
            attempts++;
        }
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aTimeoutWithoutInterruptLetsTheAttemptRunOutAndThenFailsTheCall() {
        TimeoutPolicy timeout = TimeoutPolicy.builder()
                .name("catalog")
                .duration(LIMIT)
                .interrupt(false)
                .build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> timeout.call(() -> {
                    long end = System.nanoTime() + 2 * LIMIT.toNanos();
                    while (System.nanoTime() < end) {
                        assertThat(Thread.currentThread().isInterrupted()).isFalse();
                    }
                    return "late";
                }))
                .isInstanceOf(AttemptTimeoutException.class);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(2 * LIMIT.toNanos());
    }

    /**
     * Eight threads, each a long run of attempts of which some block until interrupted and the rest
     * return at once, so that deadlines fire while neighbouring slots arm and disarm. Every attempt
     * that timed out had really overrun its limit by its own clock; every attempt that returned in
     * time was never interrupted, not during it, not after it (the next attempt and the caller would
     * see the flag).
     */
    @Test
    void manyThreadsTimedTogetherEachInterruptOnlyTheirOwnOverrunningAttempts() throws Exception {
        TimeoutPolicy timeout = onTheSystemClock();
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        AtomicInteger timedOut = new AtomicInteger();
        AtomicInteger inTime = new AtomicInteger();
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            threads.add(pool.submit(() -> {
                CountDownLatch never = new CountDownLatch(1);
                for (int round = 0; round < 400; round++) {
                    boolean block = (round + thread) % 40 == 0;
                    if (Thread.currentThread().isInterrupted()) {
                        violations.add("thread " + thread + " found a stray interrupt before round " + round);
                        Thread.interrupted();
                    }
                    long start = System.nanoTime();
                    try {
                        timeout.call(() -> {
                            if (block) {
                                never.await(20, TimeUnit.SECONDS);
                                violations.add("a blocked attempt was never interrupted");
                            } else if (Thread.currentThread().isInterrupted()) {
                                violations.add("an attempt in time was interrupted");
                            }
                            return block;
                        });
                        inTime.incrementAndGet();
                        if (block) {
                            violations.add("a blocked attempt returned in time");
                        }
                    } catch (AttemptTimeoutException expected) {
                        timedOut.incrementAndGet();
                        long took = System.nanoTime() - start;
                        if (took < LIMIT.toNanos()) {
                            violations.add("timed out after only " + took + " ns");
                        }
                    } catch (Exception unexpected) {
                        violations.add("unexpected " + unexpected);
                    }
                }
                if (Thread.currentThread().isInterrupted()) {
                    violations.add("thread " + thread + " left interrupted");
                }
                return null;
            }));
        }
        for (Future<?> thread : threads) {
            thread.get();
        }
        assertThat(violations).isEmpty();
        assertThat(timedOut).as("the blocked attempts").hasValue(8 * 10);
        assertThat(inTime).hasValue(8 * 400 - 8 * 10);
    }

    @Test
    void afterTheCoreThreadsAreStoppedTheNextTimedAttemptStartsTheWatchdogAgain() {
        TimeoutPolicy timeout = onTheSystemClock();
        CoreThreads.stop();
        assertThat(liveThreadNames()).doesNotContain("retry-timeout");
        CountDownLatch never = new CountDownLatch(1);
        assertThatThrownBy(() -> timeout.call(() -> never.await(20, TimeUnit.SECONDS)))
                .isInstanceOf(AttemptTimeoutException.class);
    }

    private static List<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .toList();
    }
}
