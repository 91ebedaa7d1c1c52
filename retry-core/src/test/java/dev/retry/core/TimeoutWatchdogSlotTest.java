package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One thread's slot, with the watchdog's side played by the test: {@link TimeoutWatchdog.Slot#expire}
 * is called by hand with the word the watchdog would have read, so each side of the race is taken
 * exactly, with no real clock involved. The slots here are made directly, not registered, so the real
 * watchdog never sees them; their deadlines are an hour away besides.
 */
class TimeoutWatchdogSlotTest {

    private static final long FAR = TimeUnit.HOURS.toNanos(1);

    private final TimeoutWatchdog.Slot slot = new TimeoutWatchdog.Slot(Thread.currentThread());

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    /** The word the watchdog reads before it decides a deadline has passed. */
    private static long word(TimeoutWatchdog.Slot slot) {
        return slot.currentWord();
    }

    @Test
    void anAttemptThatReturnsBeforeItsDeadlineFinishesInTime() {
        slot.arm(System.nanoTime() + FAR, true);
        assertThat(slot.finish()).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aPassedDeadlineInterruptsTheAttemptAndItsEndTakesTheInterruptBack() {
        slot.arm(System.nanoTime() + FAR, true);
        slot.expire(Thread.currentThread(), word(slot));
        assertThat(Thread.currentThread().isInterrupted())
                .as("the attempt is asked to stop")
                .isTrue();
        assertThat(slot.finish()).as("in time").isFalse();
        assertThat(Thread.currentThread().isInterrupted())
                .as("the timeout's own interrupt is gone when the call returns")
                .isFalse();
    }

    @Test
    void anInterruptFromSomeoneElseBeforeTheDeadlineIsKeptForTheCaller() {
        slot.arm(System.nanoTime() + FAR, true);
        Thread.currentThread().interrupt(); // the application asks the thread to stop
        slot.expire(Thread.currentThread(), word(slot));
        assertThat(slot.finish()).as("in time").isFalse();
        assertThat(Thread.currentThread().isInterrupted())
                .as("the application's interrupt survives the timeout")
                .isTrue();
    }

    @Test
    void withoutInterruptAPassedDeadlineFailsTheAttemptButNeverInterruptsIt() {
        slot.arm(System.nanoTime() + FAR, false);
        slot.expire(Thread.currentThread(), word(slot));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(slot.finish()).as("in time").isFalse();
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    /**
     * The watchdog read the word of one attempt and decided late: by then that attempt has returned
     * and the thread runs its next one. Across many attempts in a row (each a generation of its own),
     * the late decision never reaches the attempt that follows.
     */
    @Test
    void aDeadlineDecidedForOneAttemptNeverInterruptsTheThreadsNextAttempt() {
        for (int attempt = 0; attempt < 200; attempt++) {
            slot.arm(System.nanoTime() + FAR, attempt % 2 == 0);
            long seenByTheWatchdog = word(slot);
            assertThat(slot.finish()).isTrue();
            slot.arm(System.nanoTime() + FAR, true);
            slot.expire(Thread.currentThread(), seenByTheWatchdog);
            assertThat(Thread.currentThread().isInterrupted())
                    .as("attempt %d interrupted by the deadline of the one before", attempt)
                    .isFalse();
            assertThat(slot.finish())
                    .as("attempt %d failed by the deadline of the one before", attempt)
                    .isTrue();
        }
    }

    @Test
    void aLateDecisionAfterTheAttemptReturnedLeavesTheThreadAlone() {
        slot.arm(System.nanoTime() + FAR, true);
        long seenByTheWatchdog = word(slot);
        assertThat(slot.finish()).isTrue();
        slot.expire(Thread.currentThread(), seenByTheWatchdog);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    /** A timeout nested in another on the same thread gets no slot: the outer attempt holds it. */
    @Test
    void aThreadsSlotIsTakenWhileItsAttemptRunsAndFreeAgainAfterIt() {
        TimeoutWatchdog.Slot own = TimeoutWatchdog.freeSlot();
        assertThat(own).isNotNull();
        own.arm(System.nanoTime() + FAR, true);
        try {
            assertThat(TimeoutWatchdog.freeSlot()).as("while armed").isNull();
        } finally {
            assertThat(own.finish()).isTrue();
        }
        assertThat(TimeoutWatchdog.freeSlot()).as("the same slot, reused").isSameAs(own);
    }
}
