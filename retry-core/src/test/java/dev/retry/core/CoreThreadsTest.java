package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The core's own threads used to live for the JVM and hold the class loader that started them, so
 * a redeployed web application stayed in memory. Real threads by necessity: what is checked is that
 * they end. Nothing sleeps; the waits are generous for a loaded machine.
 */
class CoreThreadsTest {

    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @AfterEach
    void leaveNoThreadBehind() {
        CoreThreads.stop();
    }

    @Test
    void afterStopNoCoreThreadIsAliveAndPoliciesUsedAfterwardsStillWork() throws Exception {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .slowCallDuration(Duration.ofSeconds(10))
                .build(); // the system clock and nobody timing calls: the coarse clock
        RetryPolicy retry = RetryPolicy.builder()
                .delay(Duration.ofMillis(1))
                .jitter(Jitter.NONE)
                .build();
        HedgePolicy hedge = HedgePolicy.builder().delay(Duration.ofSeconds(10)).build();
        useEveryThread(breaker, retry, hedge);
        assertThat(coreThreads())
                .as("threads while the policies are in use")
                .anyMatch(name -> name.equals("retry-clock"))
                .anyMatch(name -> name.equals("retry-scheduler"))
                .anyMatch(name -> name.startsWith("retry-hedge-"));

        CoreThreads.stop();
        await().atMost(GENEROUS).untilAsserted(() -> assertThat(coreThreads()).isEmpty());

        useEveryThread(breaker, retry, hedge);
        assertThat(breaker.snapshot().bufferedCalls())
                .as("the breaker kept recording")
                .isEqualTo(2);
        CoreThreads.stop();
        await().atMost(GENEROUS).untilAsserted(() -> assertThat(coreThreads()).isEmpty());
    }

    @Test
    void aStoppedCoarseClockReadsTheExactClockSoThatBreakersStillTimeTheirCalls() {
        Ticker coarse = SystemTime.coarseTicker(Duration.ofMillis(100).toNanos());
        CoreThreads.stop();
        long before = Ticker.system().nanoTime();
        assertThat(coarse.nanoTime()).as("a reading after the refresher ended").isGreaterThanOrEqualTo(before);
        long later = Ticker.system().nanoTime();
        assertThat(coarse.nanoTime()).isGreaterThanOrEqualTo(later);
    }

    @Test
    void everyCoreThreadIsADaemonSoThatNoneKeepsTheJvmFromExiting() throws Exception {
        CoreThreads.stop(); // so that each thread is made afresh by this test
        useEveryThread(
                CircuitBreakerPolicy.builder()
                        .slowCallDuration(Duration.ofSeconds(10))
                        .build(),
                RetryPolicy.builder()
                        .delay(Duration.ofMillis(1))
                        .jitter(Jitter.NONE)
                        .build(),
                HedgePolicy.builder().delay(Duration.ofSeconds(10)).build());
        List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(thread -> thread.getName().startsWith("retry-"))
                .toList();
        assertThat(threads)
                .extracting(Thread::getName)
                .anyMatch("retry-clock"::equals)
                .anyMatch("retry-scheduler"::equals)
                .anyMatch(name -> name.startsWith("retry-hedge-"));
        assertThat(threads)
                .allSatisfy(thread -> assertThat(thread.isDaemon())
                        .as(thread.getName() + " is a daemon")
                        .isTrue());
        CoreThreads.stop();
        await().atMost(GENEROUS).untilAsserted(() -> assertThat(coreThreads()).isEmpty()); // for the next test
    }

    @Test
    void stoppingTwiceOrWithNothingStartedDoesNothing() {
        CoreThreads.stop();
        CoreThreads.stop();
        assertThat(coreThreads()).isEmpty();
    }

    private static void useEveryThread(CircuitBreakerPolicy breaker, RetryPolicy retry, HedgePolicy hedge)
            throws Exception {
        assertThat(breaker.call(() -> "measured")).isEqualTo("measured");
        AtomicInteger attempts = new AtomicInteger();
        CompletableFuture<String> retried = retry.callAsync(() -> attempts.incrementAndGet() == 1
                ? CompletableFuture.failedFuture(new IllegalStateException("once"))
                : CompletableFuture.completedFuture("second attempt"));
        assertThat(retried.get(GENEROUS.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo("second attempt");
        assertThat(hedge.call(() -> "hedged")).isEqualTo("hedged");
    }

    private static List<String> coreThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("retry-"))
                .toList();
    }
}
