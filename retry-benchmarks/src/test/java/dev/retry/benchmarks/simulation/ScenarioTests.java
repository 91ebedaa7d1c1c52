package dev.retry.benchmarks.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scenarios on their fixed seeds, driving the real core policies: what the issue expects of
 * each must show in the numbers. Virtual time: the lot runs in a few seconds.
 */
class ScenarioTests {

    private static final long SEED = Simulations.RETRY_STORM_SEED;

    @Test
    void retryStormLoadsTheServiceOnceWithoutRetryAndThriceWithNaiveRetry() {
        assertThat(RetryStorm.run(RetryStorm.Variant.NONE, SEED).outageLoad()).isCloseTo(1.0, within(0.001));
        assertThat(RetryStorm.run(RetryStorm.Variant.NAIVE, SEED).outageLoad()).isCloseTo(3.0, within(0.05));
    }

    @Test
    void aRetryBudgetKeepsTheStormAtOnePointOneAndAdaptiveRetryBelowNaive() {
        RetryStorm.Result naive = RetryStorm.run(RetryStorm.Variant.NAIVE, SEED);
        RetryStorm.Result budget = RetryStorm.run(RetryStorm.Variant.BUDGET, SEED);
        RetryStorm.Result adaptive = RetryStorm.run(RetryStorm.Variant.ADAPTIVE, SEED);

        // 0.1 retries per call over a window that also counts the calls just before the outage.
        assertThat(budget.outageLoad()).isLessThanOrEqualTo(1.1005);
        assertThat(adaptive.outageLoad()).isLessThan(naive.outageLoad() / 2);
    }

    @Test
    void retriesMakeTheServiceShedLoadForLongerAfterTheOutage() {
        RetryStorm.Result none = RetryStorm.run(RetryStorm.Variant.NONE, SEED);
        RetryStorm.Result naive = RetryStorm.run(RetryStorm.Variant.NAIVE, SEED);

        assertThat(naive.recoverySeconds()).isGreaterThan(none.recoverySeconds());
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        assertThat(RetryStorm.run(RetryStorm.Variant.EXPONENTIAL_FULL, 3))
                .isEqualTo(RetryStorm.run(RetryStorm.Variant.EXPONENTIAL_FULL, 3));
        assertThat(SlowTail.run(SlowTail.Variant.ADAPTIVE, 3)).isEqualTo(SlowTail.run(SlowTail.Variant.ADAPTIVE, 3));
    }

    @Test
    void hedgingCutsTheSlowTailForAFewPercentMoreRequests() {
        SlowTail.Result none = SlowTail.run(SlowTail.Variant.NONE, Simulations.SLOW_TAIL_SEED);
        SlowTail.Result fixed = SlowTail.run(SlowTail.Variant.FIXED, Simulations.SLOW_TAIL_SEED);
        SlowTail.Result adaptive = SlowTail.run(SlowTail.Variant.ADAPTIVE, Simulations.SLOW_TAIL_SEED);
        SlowTail.Result budgeted = SlowTail.run(SlowTail.Variant.ADAPTIVE_BUDGET, Simulations.SLOW_TAIL_SEED);

        // 2 % of requests twenty times the 10 ms median: the unhedged p99 is a slow request.
        assertThat(none.p99()).isGreaterThan(150);
        assertThat(none.extraLoad()).isZero();
        assertThat(fixed.p99()).isLessThan(none.p99() / 4);
        assertThat(adaptive.p99()).isLessThan(none.p99() / 4);
        assertThat(budgeted.extraLoad()).isLessThanOrEqualTo(0.05);
        assertThat(adaptive.extraLoad()).as("a p95 delay hedges about one call in twenty, from its start")
                .isBetween(0.04, 0.05);
        assertThat(adaptive.p50()).isCloseTo(none.p50(), within(0.5));
    }

    @Test
    void theIssuesP99TargetIsOutOfReachOfAnyFixedDelayWithinFivePercentExtra() {
        SlowTail.Scenario tail = SlowTail.run(SlowTail.SIGMA, Simulations.SLOW_TAIL_SEED);
        SlowTail.Result none = Simulations.find(tail.results(), SlowTail.Variant.NONE.label());
        SlowTail.Result adaptive = Simulations.find(tail.results(), SlowTail.Variant.ADAPTIVE.label());
        double limit = Simulations.slowTailP99Limit(tail);

        SlowTail.SweepPoint best = tail.bestP99Within(0.05).orElseThrow();

        // One hedge within 5 % extra: the delay is at least the p95, and a slow primary's call then
        // answers at the delay plus a request's latency, so the p99 is at least p95 + median.
        assertThat(best.p99()).isGreaterThan(limit).isCloseTo(none.p95() + none.p50(), within(1.0));
        assertThat(best.delay()).isCloseTo(none.p95(), within(1.0));
        assertThat(tail.cheapestReaching(limit).orElseThrow().extraLoad()).as("what meeting the target costs")
                .isGreaterThan(0.08);
        assertThat(adaptive.p99()).as("the adaptive delay is about as good as the best fixed one")
                .isCloseTo(best.p99(), within(1.0));
    }

    @Test
    void aWiderBodyPutsTheP99TargetWithinReachOfTheAdaptiveDelay() {
        SlowTail.Scenario wide = SlowTail.run(SlowTail.WIDE_SIGMA, Simulations.SLOW_TAIL_SEED);
        SlowTail.Result none = Simulations.find(wide.results(), SlowTail.Variant.NONE.label());
        SlowTail.Result budgeted = Simulations.find(wide.results(), SlowTail.Variant.ADAPTIVE_BUDGET.label());
        double limit = Simulations.slowTailP99Limit(wide);

        assertThat(none.p95()).as("the p95 is more than twice the median").isGreaterThan(2 * none.p50());
        assertThat(wide.bestP99Within(0.05).orElseThrow().p99()).isLessThanOrEqualTo(limit);
        assertThat(budgeted.p99()).isLessThanOrEqualTo(limit);
        assertThat(budgeted.extraLoad()).isLessThanOrEqualTo(0.05);
    }

    @Test
    void theSweepOfFixedDelaysTradesExtraRequestsForALowerP99() {
        List<SlowTail.SweepPoint> sweep = SlowTail.sweep(SlowTail.SIGMA, Simulations.SLOW_TAIL_SEED);

        assertThat(sweep).hasSize(61);
        assertThat(sweep.get(0).delay()).isEqualTo(10.0);
        assertThat(sweep.get(sweep.size() - 1).delay()).isEqualTo(40.0);
        // The shorter the delay, the more calls hedge and the lower their p99.
        assertThat(sweep.get(0).extraLoad()).isGreaterThan(sweep.get(sweep.size() - 1).extraLoad());
        assertThat(sweep.get(0).p99()).isLessThan(sweep.get(sweep.size() - 1).p99());
    }

    @Test
    void aBreakerWastesFewerRequestsOnADeadServiceThanNone() {
        BreakerBursts.Result none = BreakerBursts.run(BreakerBursts.Variant.NONE, Simulations.BREAKER_SEED);
        BreakerBursts.Result count = BreakerBursts.run(BreakerBursts.Variant.COUNT, Simulations.BREAKER_SEED);
        BreakerBursts.Result time = BreakerBursts.run(BreakerBursts.Variant.TIME, Simulations.BREAKER_SEED);

        assertThat(none.lostSuccesses()).isZero();
        assertThat(count.wastedRequests()).isLessThan(none.wastedRequests() / 2);
        assertThat(time.wastedRequests()).isLessThan(none.wastedRequests() / 2);
        assertThat(count.calls()).isEqualTo(none.calls());
    }

    @Test
    void writesTheReportAndReadsItBack(@TempDir Path directory) throws Exception {
        Simulations.Report report = Simulations.run();
        Path file = directory.resolve("simulation.json");

        Simulations.write(report, file);

        assertThat(Simulations.read(file)).isEqualTo(report);
        assertThat(report.targets()).isNotEmpty();
        assertThat(report.targets()).filteredOn(target -> target.claim().contains("p99 with the"))
                .as("the p99 targets of both bodies show the floor the latency model sets beside them").hasSize(4)
                .allSatisfy(target -> assertThat(target.measured())
                        .contains("no fixed delay within 5.0 % extra does better than"));
    }
}
