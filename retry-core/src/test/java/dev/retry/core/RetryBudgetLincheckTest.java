package dev.retry.core;

import static dev.retry.core.BulkheadLincheckTest.check;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model checks of the retry budget (see {@link LincheckRuns} for how they run).
 *
 * <p>The budget is legitimately not linearizable: a retry is granted optimistically, counted first
 * and taken back if the window turns out to be over its allowance, so two threads racing for the
 * last retry may both give it up, and a reading of the window in between sees a retry that is then
 * taken back. No budget taken one call at a time does either. What matters is checked instead: the
 * retries granted never exceed the allowance, and once everyone is done the window counts exactly
 * the retries granted, nothing taken back left behind.
 */
class RetryBudgetLincheckTest {

    private static final long START = 1L << 62;
    private static final long SECOND = 1_000_000_000L;

    /** Ten calls at a ratio of 0.2 and no floor: two retries of room, raced for, while calls go on. */
    public static class RacingForTheLastRetries {

        private final RetryBudget budget = new RetryBudget(0.2, 0, () -> START);
        private final AtomicInteger granted = new AtomicInteger();
        private final AtomicInteger calls = new AtomicInteger(10);

        public RacingForTheLastRetries() {
            for (int i = 0; i < 10; i++) {
                budget.recordCall();
            }
        }

        @Operation
        public boolean retry() {
            boolean allowed = budget.tryAcquireRetry();
            if (allowed) {
                granted.incrementAndGet();
            }
            return allowed;
        }

        @Operation
        public void call() {
            calls.incrementAndGet();
            budget.recordCall();
        }

        @Validate
        public void neverMoreThanTheAllowanceAndNothingTakenBackLeftBehind() {
            long allowance = (long) (0.2 * calls.get());
            check(granted.get() <= allowance, granted.get() + " granted for " + calls.get() + " calls");
            check(
                    budget.retriesInWindow() == granted.get(),
                    "the window counts " + budget.retriesInWindow() + " retries, " + granted.get() + " granted");
            check(budget.callsInWindow() == calls.get(), "every call counted");
        }
    }

    /**
     * Ten calls in second 0 make room for one retry until they leave the window at second 10; the
     * clock moves on half a second at a time while retries are asked for. Whatever the interleaving,
     * the window sliding under a grant never makes room for a second one.
     */
    public static class WindowSlidingDuringAGrant {

        private final AtomicLong now = new AtomicLong(START);
        private final RetryBudget budget = new RetryBudget(0.1, 0, now::get);
        private final AtomicInteger granted = new AtomicInteger();

        public WindowSlidingDuringAGrant() {
            for (int i = 0; i < 10; i++) {
                budget.recordCall();
            }
            now.set(START + 9 * SECOND); // half a second, then the calls leave the window
        }

        @Operation
        public boolean retry() {
            boolean allowed = budget.tryAcquireRetry();
            if (allowed) {
                granted.incrementAndGet();
            }
            return allowed;
        }

        @Operation
        public void halfASecondPasses() {
            now.addAndGet(SECOND / 2);
        }

        @Validate
        public void oneRetryOfRoomIsGrantedAtMostOnce() {
            check(granted.get() <= 1, granted.get() + " retries granted on one retry's room");
            check(budget.remainingRetries() >= 0, "never a negative remainder");
        }
    }

    @Test
    void threadsRacingForTheLastRetriesAreNeverGrantedMoreThanTheAllowance() {
        LincheckRuns.checkInvariants(RacingForTheLastRetries.class, 3, 2);
    }

    @Test
    void theWindowSlidingDuringAGrantNeverMakesRoomForMoreThanItsCallsAllow() {
        LincheckRuns.checkInvariants(WindowSlidingDuringAGrant.class, 3, 2);
    }
}
