package dev.retry.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retry.core.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one virtual clock: tasks in time order, ties in the order scheduled, sleeping moves time, nothing waits. */
class VirtualClockTests {

    private final VirtualClock clock = new VirtualClock();
    private final List<String> seen = new ArrayList<>();

    @Test
    void advancingRunsDueTasksInTimeOrderTiesInTheOrderScheduledEachAtItsOwnTime() {
        clock.schedule(() -> seen.add("c " + clock.elapsed().toMillis()), millis(30));
        clock.schedule(() -> seen.add("a " + clock.elapsed().toMillis()), millis(10));
        clock.schedule(() -> seen.add("b1 " + clock.elapsed().toMillis()), millis(20));
        clock.schedule(() -> seen.add("b2 " + clock.elapsed().toMillis()), millis(20));
        clock.schedule(() -> seen.add("later"), millis(31));

        clock.advance(Duration.ofMillis(30));

        assertThat(seen).containsExactly("a 10", "b1 20", "b2 20", "c 30");
        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(30));
        assertThat(clock.pendingTasks()).isOne();
    }

    @Test
    void tasksThatTasksScheduleRunInTheSameAdvanceWhenTheyFallDueAndCancelledOnesNever() {
        Scheduler.Cancellable cancelled = clock.schedule(() -> seen.add("cancelled"), millis(15));
        clock.schedule(
                () -> {
                    seen.add("first " + clock.elapsed().toMillis());
                    clock.schedule(() -> seen.add("second " + clock.elapsed().toMillis()), millis(100));
                    cancelled.cancel();
                },
                millis(10));

        clock.advance(Duration.ofMillis(110));

        assertThat(seen).containsExactly("first 10", "second 110");
        assertThat(clock.pendingTasks()).isZero();
    }

    @Test
    void cancellingARunTaskChangesNothing() {
        Scheduler.Cancellable task = clock.schedule(() -> seen.add("ran"), 0);
        clock.runDueTasks();
        task.cancel();
        clock.schedule(() -> seen.add("next"), millis(1));

        assertThat(clock.pendingTasks()).isOne();
        assertThat(seen).containsExactly("ran");
    }

    @Test
    void sleepingRunsWhatFallsDueMeanwhileEndsAtTheDeadlineAndIsRecorded() throws InterruptedException {
        clock.schedule(() -> seen.add("at " + clock.elapsed().toMillis()), millis(40));
        clock.schedule(() -> seen.add("at " + clock.elapsed().toMillis()), millis(60));

        clock.sleep(millis(50));

        assertThat(seen).containsExactly("at 40");
        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(50));
        assertThat(clock.sleeps()).containsExactly(Duration.ofMillis(50));
        assertThat(clock.scheduledDelays()).containsExactly(Duration.ofMillis(40), Duration.ofMillis(60));
    }

    @Test
    void aSleepInsideATaskMovesTheClockOnAndTheOuterAdvanceNeverMovesItBack() {
        clock.schedule(
                () -> {
                    try {
                        clock.sleep(millis(500));
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                },
                millis(10));

        clock.advance(Duration.ofMillis(100));

        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(510));
    }

    @Test
    void theChosenSleepThrowsAsIfInterruptedAndLeavesTheClockWhereItWas() throws InterruptedException {
        clock.sleep(millis(1));
        clock.interruptSleep(2);

        clock.sleep(millis(10));
        assertThatThrownBy(() -> clock.sleep(millis(20)))
                .isInstanceOf(InterruptedException.class)
                .hasMessageContaining("sleep 3");
        clock.sleep(millis(30));

        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(41));
        assertThat(clock.sleeps()).extracting(Duration::toMillis).containsExactly(1L, 10L, 20L, 30L);
    }

    @Test
    void anInterruptedThreadCannotSleepAndLosesItsFlagAsWithThreadSleep() {
        Thread.currentThread().interrupt();

        assertThatThrownBy(() -> clock.sleep(millis(5))).isInstanceOf(InterruptedException.class);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(clock.elapsed()).isZero();
    }

    @Test
    void runAllRunsATimelineToItsEnd() {
        clock.at(Duration.ofSeconds(2), () -> seen.add("2 s"));
        clock.at(Duration.ofSeconds(1), () -> clock.at(Duration.ofSeconds(3), () -> seen.add("3 s")));

        clock.runAll();

        assertThat(seen).containsExactly("2 s", "3 s");
        assertThat(clock.elapsed()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aFailingTaskReachesTheCallerAndTheTasksAfterItStayScheduled() {
        clock.schedule(
                () -> {
                    throw new IllegalStateException("broken callback");
                },
                millis(1));
        clock.schedule(() -> seen.add("after"), millis(2));

        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(5))).hasMessage("broken callback");
        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(1));

        clock.advance(Duration.ofMillis(4));
        assertThat(seen).containsExactly("after");
    }

    @Test
    void aDelayTooLongToRepresentNeverOverflowsIntoThePast() {
        clock.schedule(() -> seen.add("never"), Long.MAX_VALUE);

        clock.advance(Duration.ofDays(365 * 100));

        assertThat(seen).isEmpty();
        assertThat(clock.pendingTasks()).isOne();
    }

    @Test
    void clearingTheRecordKeepsTimeAndTasks() throws InterruptedException {
        clock.sleep(millis(7));
        clock.schedule(() -> seen.add("kept"), millis(3));

        clock.clearRecord();

        assertThat(clock.sleeps()).isEmpty();
        assertThat(clock.scheduledDelays()).isEmpty();
        assertThat(clock.elapsed()).isEqualTo(Duration.ofMillis(7));
        clock.advance(Duration.ofMillis(3));
        assertThat(seen).containsExactly("kept");
    }

    @Test
    void badArgumentsAreRefusedByName() {
        assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1)))
                .hasMessageContaining("duration must be 0 or more");
        assertThatThrownBy(() -> clock.schedule(() -> {}, -1)).hasMessageContaining("delayNanos must be 0 or more");
        assertThatThrownBy(() -> clock.interruptSleep(0)).hasMessageContaining("ordinal must be 1 or more");
    }

    @Test
    void awaitScheduledReturnsOnceAnotherThreadHasScheduled() throws InterruptedException {
        Thread other = new Thread(() -> clock.schedule(() -> seen.add("from another thread"), millis(5)));
        other.start();

        clock.awaitScheduled(1);
        clock.advance(Duration.ofMillis(5));
        other.join();

        assertThat(seen).containsExactly("from another thread");
    }

    private static long millis(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
