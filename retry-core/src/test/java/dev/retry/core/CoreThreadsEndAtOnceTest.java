package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CoreThreads#stop()} as an application server's undeploy hook uses it: the threads that only
 * ever park (the coarse clock's refresher, the timeout watchdog) have ended by the time it returns,
 * so that nothing of ours still runs, or holds the application's class loader, a moment later.
 * Real threads by necessity; nothing waits on a clock.
 */
class CoreThreadsEndAtOnceTest {

    @AfterEach
    void leaveNoThreadBehind() {
        CoreThreads.stop();
    }

    @Test
    void theClockAndTheWatchdogHaveEndedWhenStopReturns() {
        CircuitBreakerPolicy breaker = CircuitBreakerPolicy.builder()
                .slowCallDuration(Duration.ofSeconds(10))
                .build(); // the system clock and nobody timing calls: the coarse clock
        TimeoutPolicy timeout =
                TimeoutPolicy.builder().duration(Duration.ofMinutes(1)).build();
        assertThat(breaker.call(() -> "measured")).isEqualTo("measured");
        assertThat(timeout.call(() -> "in time")).isEqualTo("in time");
        List<Thread> parkers = alive("retry-clock", "retry-timeout");
        assertThat(parkers).extracting(Thread::getName).contains("retry-clock", "retry-timeout");

        CoreThreads.stop();

        assertThat(parkers)
                .allSatisfy(thread -> assertThat(thread.isAlive())
                        .as("%s alive after stop() returned", thread.getName())
                        .isFalse());
    }

    /**
     * An undeploy hook running on a thread already interrupted (a shutdown in progress) still gets
     * every thread ended, and its interrupt flag back for its own code to see.
     */
    @Test
    void anInterruptedCallerStillEndsTheThreadsAndKeepsItsFlag() {
        TimeoutPolicy timeout =
                TimeoutPolicy.builder().duration(Duration.ofMinutes(1)).build();
        assertThat(timeout.call(() -> "in time")).isEqualTo("in time");
        List<Thread> watchdog = alive("retry-timeout");
        assertThat(watchdog).isNotEmpty();

        Thread.currentThread().interrupt();
        try {
            CoreThreads.stop();
            assertThat(Thread.currentThread().isInterrupted())
                    .as("the flag is given back")
                    .isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(watchdog).noneMatch(Thread::isAlive);
    }

    private static List<Thread> alive(String... names) {
        List<String> wanted = List.of(names);
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(thread -> wanted.contains(thread.getName()))
                .toList();
    }
}
