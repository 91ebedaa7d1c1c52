package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The watchdog thread itself on the real clock: how it sleeps, wakes, stops and forgets threads. Real
 * time, so every bound is generous (a loaded 2-core machine may run the watchdog late, never early):
 * an attempt blocked for {@link #BLOCKED_AT_MOST} is either interrupted long before it, by a working
 * watchdog, or not at all.
 */
@Timeout(120)
class TimeoutWatchdogLifecycleTest {

    private static final Duration LIMIT = Duration.ofMillis(20);
    private static final long BLOCKED_AT_MOST = TimeUnit.SECONDS.toNanos(10);

    private final TimeoutPolicy timeout =
            TimeoutPolicy.builder().name("catalog").duration(LIMIT).build();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicReference<@Nullable Throwable> neighbourFailure = new AtomicReference<>();
    private @Nullable Thread neighbour;

    @AfterEach
    void releaseTheNeighbour() throws InterruptedException {
        release.countDown();
        if (neighbour != null) {
            neighbour.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(neighbourFailure.get())
                    .as("the neighbour's attempt, released long before its deadline")
                    .isNull();
        }
    }

    /** The user's view of a working watchdog: the blocked attempt is interrupted, well before it gives up. */
    private void aBlockedAttemptIsInterruptedAtItsDeadline() {
        CountDownLatch never = new CountDownLatch(1);
        long start = System.nanoTime();
        assertThatThrownBy(() -> timeout.call(() -> never.await(BLOCKED_AT_MOST, TimeUnit.NANOSECONDS)))
                .isInstanceOf(AttemptTimeoutException.class)
                .satisfies(thrown -> assertThat(thrown.getSuppressed())
                        .as("interrupted, rather than left to run out")
                        .hasAtLeastOneElementOfType(InterruptedException.class));
        assertThat(System.nanoTime() - start).isBetween(LIMIT.toNanos(), BLOCKED_AT_MOST);
    }

    /**
     * Another thread runs an attempt with a deadline a minute away, so the watchdog is awake and
     * ticking towards it rather than parked; returns once it is.
     */
    private void aNeighbourWaitsOnALaterDeadline() throws InterruptedException {
        TimeoutPolicy patient = TimeoutPolicy.builder()
                .name("report")
                .duration(Duration.ofMinutes(1))
                .build();
        CountDownLatch inside = new CountDownLatch(1);
        neighbour = new Thread(
                () -> {
                    try {
                        patient.call(() -> {
                            inside.countDown();
                            return release.await(1, TimeUnit.MINUTES);
                        });
                    } catch (Throwable thrown) {
                        neighbourFailure.set(thrown);
                    }
                },
                "neighbour");
        neighbour.start();
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> !watchdogParked());
    }

    @Test
    void aDeadlineArmedWhileTheWatchdogWaitsForALaterOneStillFiresAtItsOwnTime() throws Exception {
        aNeighbourWaitsOnALaterDeadline();
        aBlockedAttemptIsInterruptedAtItsDeadline();
    }

    @Test
    void aWatchdogWithNothingArmedParksAndTheNextDeadlineWakesIt() throws Exception {
        assertThat(timeout.call(() -> "in time")).isEqualTo("in time");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Thread watcher = watcher();
            return watcher != null && watcher.getState() == Thread.State.WAITING && watchdogParked();
        });
        assertThat(Objects.requireNonNull(watcher()).isDaemon())
                .as("a parked watchdog never keeps the JVM alive")
                .isTrue();
        aBlockedAttemptIsInterruptedAtItsDeadline();
    }

    /**
     * Stopped while awake (a deadline armed elsewhere), the watchdog must not leave behind the belief
     * that a watchdog is awake: the next deadline starts a new one.
     */
    @Test
    void stoppedWhileADeadlineIsArmedTheNextDeadlineStartsANewWatchdog() throws Exception {
        aNeighbourWaitsOnALaterDeadline();
        TimeoutWatchdog.stop();
        assertThat(watcher()).isNull();
        aBlockedAttemptIsInterruptedAtItsDeadline();
    }

    @Test
    void theSlotOfAThreadThatHasEndedIsDroppedByTheWatchdog() throws Exception {
        Thread shortLived = new Thread(() -> timeout.call(() -> "in time"), "short-lived");
        shortLived.start();
        shortLived.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(shortLived.isAlive()).isFalse();
        // Each timed call wakes a parked watchdog, which then passes every slot.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            timeout.call(() -> "in time");
            return !hasSlot(shortLived);
        });
        assertThat(hasSlot(Thread.currentThread()))
                .as("a live thread keeps its slot")
                .isTrue();
    }

    private static boolean hasSlot(Thread thread) {
        return TimeoutWatchdog.keepsSlotOf(thread);
    }

    private static boolean watchdogParked() {
        return TimeoutWatchdog.announcedParked();
    }

    private static @Nullable Thread watcher() {
        return TimeoutWatchdog.currentWatcher();
    }
}
