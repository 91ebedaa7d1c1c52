package dev.retry.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Validate;
import org.junit.jupiter.api.Test;

/**
 * Model checks of the bulkhead's permits (see {@link LincheckRuns} for how they run).
 *
 * <p>The permits are legitimately not linearizable: a permit goes through the free count on its way
 * from a releasing caller to the first in line (counted free, then taken out again for the waiter),
 * so a reading in between sees a permit that nobody else can have. So the checks assert what matters
 * instead, after every interleaving: no permit is ever lost or made up, an arrival never overtakes
 * the line, and a waiter that gives up just as a permit is handed to it passes the permit on.
 */
class BulkheadLincheckTest {

    /**
     * One permit, held; one caller waits in line for it. The holder finishes, the waiter gives up
     * (its timer, an interrupt, a cancelled future: all one move, leaving the line) and a newcomer
     * tries its luck, in any order and interleaving.
     */
    public static class WaiterGivingUpAsThePermitComes {

        private final BulkheadPermits permits = new BulkheadPermits(1);
        private final AtomicInteger grants = new AtomicInteger();
        private final AtomicBoolean holderDone = new AtomicBoolean();
        private final AtomicBoolean waiterDone = new AtomicBoolean();
        private final AtomicInteger newcomersAdmitted = new AtomicInteger();
        private final BulkheadPermits.Waiter waiter = new BulkheadPermits.Waiter(permits) {
            @Override
            void granted() {
                grants.incrementAndGet();
            }

            @Override
            void expired() {
                throw new AssertionError("no timer runs here");
            }
        };

        public WaiterGivingUpAsThePermitComes() {
            check(permits.tryAcquire(), "the holder takes the permit");
            check(!permits.join(waiter), "the waiter has to wait");
        }

        @Operation
        public boolean holderFinishes() {
            if (!holderDone.compareAndSet(false, true)) {
                return false;
            }
            permits.release();
            return true;
        }

        /** What a waiting caller does on giving up: leave, or use the permit it was granted meanwhile. */
        @Operation
        public String waiterGivesUp() {
            if (!waiterDone.compareAndSet(false, true)) {
                return "already gone";
            }
            if (permits.leave(waiter, BulkheadPermits.Waiter.ABANDONED)) {
                return "left without a permit";
            }
            check(waiter.state() == BulkheadPermits.Waiter.GRANTED, "a waiter that failed to leave was granted");
            permits.release(); // it no longer wants it: passed on
            return "granted, passed it on";
        }

        @Operation
        public boolean newcomerTries() {
            if (!permits.tryAcquire()) {
                return false;
            }
            newcomersAdmitted.incrementAndGet();
            permits.release();
            return true;
        }

        @Validate
        public void noPermitLostOrMadeUpAndNoneTakenPastTheLine() {
            check(grants.get() <= 1, "the waiter was granted at most once");
            int holding = (holderDone.get() ? 0 : 1) + (grants.get() == 1 && !waiterDone.get() ? 1 : 0);
            check(permits.free() == 1 - holding, "free permits " + permits.free() + ", held " + holding);
            check(
                    !(newcomersAdmitted.get() > 0 && grants.get() == 0 && !waiterDone.get()),
                    "a newcomer got in while the waiter was still waiting");
        }
    }

    /** Two permits held, two callers in line; the holders finish while a newcomer arrives. */
    public static class ReleasesServingTheLine {

        private final BulkheadPermits permits = new BulkheadPermits(2);
        private final AtomicInteger grants = new AtomicInteger();
        private final AtomicInteger releases = new AtomicInteger();
        private final AtomicInteger newcomersAdmitted = new AtomicInteger();

        public ReleasesServingTheLine() {
            check(permits.tryAcquire() && permits.tryAcquire(), "both permits are held");
            for (int i = 0; i < 2; i++) {
                check(
                        !permits.join(new BulkheadPermits.Waiter(permits) {
                            @Override
                            void granted() {
                                grants.incrementAndGet();
                            }

                            @Override
                            void expired() {
                                throw new AssertionError("no timer runs here");
                            }
                        }),
                        "the callers wait");
            }
        }

        @Operation
        public boolean holderFinishes() {
            if (releases.incrementAndGet() > 2) {
                return false; // only two were held
            }
            permits.release();
            return true;
        }

        @Operation
        public boolean newcomerTries() {
            if (!permits.tryAcquire()) {
                return false;
            }
            newcomersAdmitted.incrementAndGet();
            permits.release();
            return true;
        }

        @Validate
        public void theLineIsServedFirstAndTheLimitHolds() {
            int released = Math.min(releases.get(), 2);
            check(grants.get() == released, released + " permits released, " + grants.get() + " granted");
            check(permits.free() == 0, "every released permit went to a waiter, " + permits.free() + " free");
            check(newcomersAdmitted.get() == 0, "a newcomer overtook the line");
        }
    }

    @Test
    void aWaiterGivingUpJustAsThePermitIsHandedToItNeverLosesNorDoublesIt() {
        LincheckRuns.checkInvariants(WaiterGivingUpAsThePermitComes.class, 3, 1);
    }

    @Test
    void releasesRacingANewcomerServeTheLineFirstAndNeverExceedTheLimit() {
        LincheckRuns.checkInvariants(ReleasesServingTheLine.class, 3, 1);
    }

    static void check(boolean holds, String what) {
        if (!holds) {
            throw new AssertionError(what);
        }
    }
}
