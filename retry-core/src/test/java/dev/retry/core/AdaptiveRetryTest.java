package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.retry.test.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rule an adaptive policy judges itself by, on its own: the table of the class essay, the
 * delay factor, and the laws that keep failures from ever earning more attempts.
 */
class AdaptiveRetryTest {

    private static final int UP = 1;
    private static final int HOLD = 0;
    private static final int DOWN = -1;

    private final VirtualClock time = new VirtualClock();

    @Test
    void theTableOfTheEssay() {
        // share of failing first attempts below 1/4: hold while retries fail, up while they pay off
        assertThat(AdaptiveRetry.direction(90, 10, 1, 1)).isEqualTo(HOLD);
        assertThat(AdaptiveRetry.direction(90, 10, 9, 1)).isEqualTo(UP);
        assertThat(AdaptiveRetry.direction(100, 0, 0, 0)).isEqualTo(UP);
        // 1/4 up to 1/2: down while retries fail, up while they pay off or there are none
        assertThat(AdaptiveRetry.direction(75, 25, 5, 5)).isEqualTo(DOWN);
        assertThat(AdaptiveRetry.direction(60, 40, 30, 10)).isEqualTo(UP);
        assertThat(AdaptiveRetry.direction(60, 40, 0, 0)).isEqualTo(UP);
        // 1/2 or more: down while retries fail, hold otherwise
        assertThat(AdaptiveRetry.direction(50, 50, 0, 1)).isEqualTo(DOWN);
        assertThat(AdaptiveRetry.direction(0, 100, 0, 200)).isEqualTo(DOWN);
        assertThat(AdaptiveRetry.direction(0, 100, 90, 10)).isEqualTo(HOLD);
        assertThat(AdaptiveRetry.direction(0, 100, 0, 0))
                .as("a dead service at a limit of 1")
                .isEqualTo(HOLD);
    }

    @Test
    void tooFewFirstAttemptsToJudgeByHold() {
        assertThat(AdaptiveRetry.direction(0, AdaptiveRetry.MIN_FIRST_ATTEMPTS - 1, 0, 50))
                .isEqualTo(HOLD);
        assertThat(AdaptiveRetry.direction(AdaptiveRetry.MIN_FIRST_ATTEMPTS - 1, 0, 0, 0))
                .isEqualTo(HOLD);
        assertThat(AdaptiveRetry.direction(AdaptiveRetry.MIN_FIRST_ATTEMPTS - 1, 2, 0, 0))
                .as("failures that fill the window do not make it go up")
                .isEqualTo(HOLD);
        assertThat(AdaptiveRetry.delayFactor(0, AdaptiveRetry.MIN_FIRST_ATTEMPTS - 1))
                .isEqualTo(1.0);
        assertThat(AdaptiveRetry.delayFactor(AdaptiveRetry.MIN_FIRST_ATTEMPTS - 1, 1))
                .as("a failure that fills the window does not shorten delays")
                .isEqualTo(1.0);
    }

    @Test
    void theEdgesOfTheTableBelongToTheRowsTheEssayGivesThem() {
        // Exactly five first attempts are enough to judge by, in either direction.
        assertThat(AdaptiveRetry.direction(3, 2, 0, 1)).isEqualTo(DOWN);
        assertThat(AdaptiveRetry.direction(AdaptiveRetry.MIN_FIRST_ATTEMPTS, 0, 0, 0))
                .isEqualTo(UP);
        // Exactly a quarter failing is already "1/4 up to 1/2": down while retries fail.
        assertThat(AdaptiveRetry.direction(6, 2, 0, 1)).isEqualTo(DOWN);
        // Exactly half failing is "1/2 or more": it holds even while retries pay off.
        assertThat(AdaptiveRetry.direction(5, 5, 0, 0)).isEqualTo(HOLD);
    }

    @Test
    void theDelayFactorMovesWithExactlyFiveFirstAttempts() {
        // Three of five failing stretch delays by 2^(2 * 0.6 - 1); four attempts would not be enough.
        assertThat(AdaptiveRetry.delayFactor(2, 3)).isCloseTo(Math.pow(2.0, 0.2), within(1e-12));
        // Five successes shrink them to half.
        assertThat(AdaptiveRetry.delayFactor(AdaptiveRetry.MIN_FIRST_ATTEMPTS, 0))
                .isEqualTo(0.5);
    }

    @Test
    void aNewPolicyTakesItsFirstStepExactlyHalfASecondAfterItWasMade() {
        AdaptiveRetry adaptive = new AdaptiveRetry(1, 11, time);
        for (int call = 0; call < AdaptiveRetry.MIN_FIRST_ATTEMPTS; call++) {
            adaptive.recordFailure(1);
            adaptive.recordFailure(2);
        }
        time.advance(Duration.ofMillis(AdaptiveRetry.STEP_MILLIS).minusNanos(1));
        adaptive.recordFailure(1);
        assertThat(adaptive.limit()).as("a nanosecond early: no step yet").isEqualTo(11);
        time.advance(Duration.ofNanos(1));
        adaptive.recordFailure(1);
        assertThat(adaptive.limit())
                .as("at 0.5 s a dead service takes the policy down two levels of ten")
                .isEqualTo(9);
    }

    @Test
    void theDelayFactorRunsFromHalfWhenNoFirstAttemptFailsToDoubleWhenAllDo() {
        assertThat(AdaptiveRetry.delayFactor(100, 0)).isEqualTo(0.5);
        assertThat(AdaptiveRetry.delayFactor(50, 50)).isEqualTo(1.0);
        assertThat(AdaptiveRetry.delayFactor(25, 75)).isCloseTo(Math.sqrt(2.0), within(1e-12));
        assertThat(AdaptiveRetry.delayFactor(0, 100)).isEqualTo(2.0);
    }

    /** The four counts of a window, and how many outcomes are added to one of them. */
    record Window(long firstOk, long firstFailed, long retryOk, long retryFailed, int more) {

        int direction() {
            return AdaptiveRetry.direction(firstOk, firstFailed, retryOk, retryFailed);
        }
    }

    private static Window window(Generated.Draw draw) {
        return new Window(
                draw.anyScaleUpTo(1_000_000),
                draw.anyScaleUpTo(1_000_000),
                draw.anyScaleUpTo(1_000_000),
                draw.anyScaleUpTo(1_000_000),
                draw.intBetween(1, 1_000));
    }

    /** Windows with up to this many outcomes of each kind are checked exhaustively: the thresholds lie there. */
    private static final int SMALL = 24;

    /**
     * Every small window and generated larger ones: failures added, of either kind, never turn the
     * answer upwards.
     */
    @Test
    void aFailureAddedToTheWindowNeverMovesTheLimitUp() {
        for (int firstOk = 0; firstOk <= SMALL; firstOk++) {
            for (int firstFailed = 0; firstFailed <= SMALL; firstFailed++) {
                for (int retryOk = 0; retryOk <= SMALL; retryOk++) {
                    for (int retryFailed = 0; retryFailed <= SMALL; retryFailed++) {
                        assertNoFailureMovesItUp(new Window(firstOk, firstFailed, retryOk, retryFailed, 1));
                    }
                }
            }
        }
        Generated.check(20_000, AdaptiveRetryTest::window, AdaptiveRetryTest::assertNoFailureMovesItUp);
    }

    private static void assertNoFailureMovesItUp(Window w) {
        int before = w.direction();
        assertThat(AdaptiveRetry.direction(w.firstOk(), w.firstFailed() + w.more(), w.retryOk(), w.retryFailed()))
                .as("a failing first attempt more in %s", w)
                .isLessThanOrEqualTo(before);
        assertThat(AdaptiveRetry.direction(w.firstOk(), w.firstFailed(), w.retryOk(), w.retryFailed() + w.more()))
                .as("a failing retry more in %s", w)
                .isLessThanOrEqualTo(before);
    }

    @Test
    void whenMostFirstAttemptsFailTheLimitNeverRises() {
        Generated.check(20_000, AdaptiveRetryTest::window, w -> {
            if (2 * w.firstFailed() >= w.firstOk() + w.firstFailed()) {
                assertThat(w.direction()).isLessThanOrEqualTo(HOLD);
            }
            if (w.retryFailed() > 0 && w.retryFailed() >= w.retryOk()) {
                assertThat(w.direction()).as("retries that do not pay off").isLessThanOrEqualTo(HOLD);
            }
        });
    }

    @Test
    void theDelayFactorStaysWithinHalfAndDoubleAndGrowsWithFailures() {
        for (int firstOk = 0; firstOk <= SMALL; firstOk++) {
            for (int firstFailed = 0; firstFailed <= SMALL; firstFailed++) {
                assertTheDelayFactorsLaws(new Window(firstOk, firstFailed, 0, 0, 1));
            }
        }
        Generated.check(20_000, AdaptiveRetryTest::window, AdaptiveRetryTest::assertTheDelayFactorsLaws);
    }

    private static void assertTheDelayFactorsLaws(Window w) {
        double factor = AdaptiveRetry.delayFactor(w.firstOk(), w.firstFailed());
        assertThat(factor).isBetween(0.5, 2.0);
        assertThat(AdaptiveRetry.delayFactor(w.firstOk(), w.firstFailed() + w.more()))
                .as("a failing first attempt more in %s", w)
                .isGreaterThanOrEqualTo(factor);
    }

    @Test
    void aPolicyFirstCalledAWhileAfterItWasMadeStillStepsHalfASecondAfterItWasMade() {
        AdaptiveRetry adaptive = new AdaptiveRetry(1, 11, time);
        time.advance(Duration.ofMillis(300));
        fail(adaptive, 20);
        assertThat(adaptive.limit()).as("0.3 s in: no step yet").isEqualTo(11);
        time.advance(Duration.ofMillis(200));
        fail(adaptive, 1);
        assertThat(adaptive.limit())
                .as("0.5 s after it was made, not 0.5 s after its first call")
                .isEqualTo(9);
    }

    @Test
    void anOutcomeExactlyOneStepLateTakesOneStepAndTheNextIsHalfASecondAfterIt() {
        AdaptiveRetry adaptive = new AdaptiveRetry(1, 11, time);
        fail(adaptive, 20);
        time.advance(Duration.ofSeconds(1)); // the step due at 0.5 s was missed by exactly one interval
        fail(adaptive, 20);
        assertThat(adaptive.limit())
                .as("one step at 1 s, however many outcomes arrive")
                .isEqualTo(9);
        time.advance(Duration.ofMillis(499));
        fail(adaptive, 20);
        assertThat(adaptive.limit()).isEqualTo(9);
        time.advance(Duration.ofMillis(1));
        fail(adaptive, 1);
        assertThat(adaptive.limit()).as("the next step at 1.5 s").isEqualTo(7);
    }

    @Test
    void aServiceWhoseFirstAttemptsFailButWhoseRetriesSucceedKeepsItsLimitAndDoublesItsDelays() {
        AdaptiveRetry adaptive = new AdaptiveRetry(1, 3, time);
        for (int call = 0; call < 20; call++) {
            adaptive.recordFailure(1);
            adaptive.recordSuccess(2);
        }
        time.advance(Duration.ofMillis(AdaptiveRetry.STEP_MILLIS));
        adaptive.recordFailure(1);
        assertThat(adaptive.limit())
                .as("its retries pay off: they are not taken away")
                .isEqualTo(3);
        assertThat(adaptive.delayFactor())
                .as("every first attempt fails: the service is given twice the time")
                .isEqualTo(2.0);
    }

    @Test
    void theLimitMovesOneStepPerHalfSecondAtMostHoweverManyOutcomesArrive() {
        AdaptiveRetry adaptive = new AdaptiveRetry(1, 11, time);
        fail(adaptive, 1_000);
        assertThat(adaptive.limit()).as("no step before the first half second").isEqualTo(11);
        time.advance(Duration.ofMillis(500));
        fail(adaptive, 1_000);
        assertThat(adaptive.limit()).isEqualTo(9);
        time.advance(Duration.ofMillis(499));
        fail(adaptive, 1_000);
        assertThat(adaptive.limit()).isEqualTo(9);
        time.advance(Duration.ofMillis(1));
        fail(adaptive, 1_000);
        assertThat(adaptive.limit()).isEqualTo(7);
    }

    @Test
    void afterALongSilenceFailuresTakeOneStepNotAllOfThem() {
        AdaptiveRetry adaptive = new AdaptiveRetry(1, 11, time);
        time.advance(Duration.ofHours(1));
        fail(adaptive, 100);
        assertThat(adaptive.limit())
                .as("the step its first failure took saw too little to judge")
                .isEqualTo(11);
        time.advance(Duration.ofMillis(500));
        fail(adaptive, 1);
        assertThat(adaptive.limit()).as("one step, though an hour has passed").isEqualTo(9);
        assertThat(adaptive.delayFactor()).isEqualTo(2.0);
    }

    @Test
    void theLevelMapsRoundedOntoTheAttemptsBetweenMinAndMax() {
        AdaptiveRetry adaptive = new AdaptiveRetry(2, 4, time);
        List<Integer> limits = new ArrayList<>();
        limits.add(adaptive.limit());
        fail(adaptive, 20);
        for (int step = 0; step < 6; step++) {
            time.advance(Duration.ofMillis(500));
            fail(adaptive, 20);
            limits.add(adaptive.limit());
        }
        // levels 10, 8, 6, 4, 2, 0, 0 over a span of 2: 4, 3.6, 3.2, 2.8, 2.4, 2, 2, rounded half up
        assertThat(limits).containsExactly(4, 4, 3, 3, 2, 2, 2);
    }

    @Test
    void aComputedDelayIsScaledAndCappedAndUnscaledForTheNextOne() {
        AdaptiveRetry adaptive = new AdaptiveRetry(1, 3, time);
        assertThat(adaptive.delayFactor()).isEqualTo(1.0);
        fail(adaptive, 20);
        time.advance(Duration.ofMillis(500));
        fail(adaptive, 1);
        assertThat(adaptive.delayFactor()).isEqualTo(2.0);
        assertThat(adaptive.scale(100, 1_000)).isEqualTo(200);
        assertThat(adaptive.scale(600, 1_000)).isEqualTo(1_000);
        assertThat(adaptive.unscale(200)).isEqualTo(100);
    }

    private static void fail(AdaptiveRetry adaptive, int calls) {
        for (int i = 0; i < calls; i++) {
            adaptive.recordFailure(1);
            adaptive.recordFailure(2);
        }
    }

    /**
     * Threads record failures together while the clock moves 100 ms between rounds: however they
     * race, the window takes exactly one step per half second, and no thread ever sees the limit
     * rise.
     */
    @Test
    @Timeout(60)
    void underManyThreadsOneStepPerHalfSecondAndTheLimitNeverRisesWhileAllFails() throws Exception {
        AdaptiveRetry adaptive = new AdaptiveRetry(1, 11, time);
        int threads = 6;
        int rounds = 30;
        int[] limitAfterRound = new int[rounds];
        CyclicBarrier roundStart = new CyclicBarrier(threads);
        int[] round = {0};
        CyclicBarrier roundEnd = new CyclicBarrier(threads, () -> {
            limitAfterRound[round[0]++] = adaptive.limit();
            time.advance(Duration.ofMillis(100));
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    int seen = adaptive.limit();
                    for (int r = 0; r < rounds; r++) {
                        roundStart.await();
                        for (int i = 0; i < 200; i++) {
                            adaptive.recordFailure(1 + i % 3);
                            int now = adaptive.limit();
                            assertThat(now).isBetween(1, 11).isLessThanOrEqualTo(seen);
                            seen = now;
                        }
                        roundEnd.await();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        // Steps at 0.5 s, 1.0 s, ... each two levels of 1 attempt: 11, 9, 7, 5, 3, 1.
        for (int r = 0; r < rounds; r++) {
            int steps = (r * 100) / 500;
            assertThat(limitAfterRound[r]).as("after round %d", r).isEqualTo(Math.max(1, 11 - 2 * steps));
        }
    }
}
