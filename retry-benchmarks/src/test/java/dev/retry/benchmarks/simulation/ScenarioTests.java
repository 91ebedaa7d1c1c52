package dev.retry.benchmarks.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.retry.test.VirtualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
    void withoutJitterTheHerdTakesFarMoreCallsAndTimeThanWithAnyJitterInBothSettings() {
        for (ThunderingHerd.Setting setting : ThunderingHerd.Setting.values()) {
            ThunderingHerd.Herd herd = herd(setting);
            ThunderingHerd.Result none = herd.results().get(0);

            assertThat(herd.results())
                    .as(setting.label() + ": every client got through")
                    .allSatisfy(result -> assertThat(result.gaveUp()).isZero());
            assertThat(herd.results().subList(1, 4)).as(setting.label()).allSatisfy(jittered -> {
                assertThat(none.calls() / jittered.calls()).isGreaterThanOrEqualTo(Simulations.HERD_NO_JITTER_CALLS);
                assertThat(none.secondsUntilAllSucceeded() / jittered.secondsUntilAllSucceeded())
                        .isGreaterThanOrEqualTo(Simulations.HERD_NO_JITTER_TIME);
            });
        }
    }

    @Test
    void inTheStudysSettingFullAndEqualJitterDoAboutTheSameWorkAndDecorrelatedMore() {
        ThunderingHerd.Herd herd = herd(ThunderingHerd.Setting.STUDY);
        ThunderingHerd.Result full = result(herd, ThunderingHerd.Variant.FULL);
        ThunderingHerd.Result equal = result(herd, ThunderingHerd.Variant.EQUAL);
        ThunderingHerd.Result decorrelated = result(herd, ThunderingHerd.Variant.DECORRELATED);

        // The study's shape, and where ours differs: equal jitter does a few per cent fewer calls than
        // full here (the study found full slightly ahead), and takes the longest of the jittered kinds.
        assertThat(equal.calls()).isCloseTo(full.calls(), withinPercentage(10));
        assertThat(decorrelated.calls()).isGreaterThan(full.calls()).isGreaterThan(equal.calls());
        assertThat(equal.secondsUntilAllSucceeded())
                .isGreaterThan(full.secondsUntilAllSucceeded())
                .isGreaterThan(decorrelated.secondsUntilAllSucceeded());
    }

    @Test
    void withTheLibrarysDefaultsJitterBreaksUpThePeakAndDecorrelatedSpreadsItWidest() {
        ThunderingHerd.Herd herd = herd(ThunderingHerd.Setting.DEFAULTS);
        ThunderingHerd.Result none = result(herd, ThunderingHerd.Variant.NONE);
        ThunderingHerd.Result full = result(herd, ThunderingHerd.Variant.FULL);
        ThunderingHerd.Result equal = result(herd, ThunderingHerd.Variant.EQUAL);
        ThunderingHerd.Result decorrelated = result(herd, ThunderingHerd.Variant.DECORRELATED);

        assertThat(none.peakLoad()).isGreaterThan(1.5 * equal.peakLoad());
        // The wider a kind spreads the first round of retries, the lower its peak and the fewer its calls.
        assertThat(decorrelated.peakLoad()).isLessThan(full.peakLoad());
        assertThat(full.peakLoad()).isLessThan(equal.peakLoad());
        assertThat(decorrelated.calls()).isLessThan(full.calls());
        assertThat(full.calls()).isLessThan(equal.calls());
    }

    @Test
    void theHerdGrowsCostlierWithoutJitterTheMoreClientsThereAre() {
        ThunderingHerd.Herd herd = herd(ThunderingHerd.Setting.STUDY);
        List<ThunderingHerd.Result> none = herd.sweep().stream()
                .filter(r -> r.policy().equals(ThunderingHerd.Variant.NONE.label()))
                .toList();
        List<ThunderingHerd.Result> full = herd.sweep().stream()
                .filter(r -> r.policy().equals(ThunderingHerd.Variant.FULL.label()))
                .toList();

        assertThat(none).extracting(ThunderingHerd.Result::clients).containsExactly(25, 50, 100, 200);
        for (int i = 1; i < none.size(); i++) {
            assertThat(none.get(i).callsPerClient())
                    .isGreaterThan(none.get(i - 1).callsPerClient());
        }
        double first = none.get(0).callsPerClient() / full.get(0).callsPerClient();
        double last = none.get(none.size() - 1).callsPerClient()
                / full.get(full.size() - 1).callsPerClient();
        assertThat(last)
                .as("no jitter's extra work over full jitter grows with the crowd")
                .isGreaterThan(first);
    }

    @Test
    void aContendedServiceRefusesWhatIsBeyondItsCapacityAndEverythingInItsBlip() {
        VirtualClock clock = new VirtualClock();
        ContendedService service = new ContendedService(clock, 2, () -> 10, 5, 100);
        List<String> outcomes = new ArrayList<>();
        clock.at(Duration.ofNanos(0), () -> service.call().whenComplete((v, f) -> outcomes.add("blip " + (f == null))));
        for (int i = 0; i < 3; i++) {
            clock.at(
                    Duration.ofNanos(5),
                    () -> service.call().whenComplete((v, f) -> outcomes.add("at 5 " + (f == null))));
        }
        clock.at(
                Duration.ofNanos(16),
                () -> service.call().whenComplete((v, f) -> outcomes.add("at 16 " + (f == null))));

        clock.runAll();

        assertThat(outcomes).containsExactly("blip false", "at 5 true", "at 5 true", "at 5 false", "at 16 true");
        assertThat(service.calls()).isEqualTo(5);
        assertThat(service.refused()).isEqualTo(2);
        assertThat(service.busiestBucketFrom(0)).isEqualTo(5);
    }

    @Test
    void theSameSeedGivesTheSameNumbers() {
        assertThat(RetryStorm.run(RetryStorm.Variant.EXPONENTIAL_FULL, 3))
                .isEqualTo(RetryStorm.run(RetryStorm.Variant.EXPONENTIAL_FULL, 3));
        assertThat(SlowTail.run(SlowTail.Variant.ADAPTIVE, 3)).isEqualTo(SlowTail.run(SlowTail.Variant.ADAPTIVE, 3));
        assertThat(ThunderingHerd.run(ThunderingHerd.Setting.STUDY, ThunderingHerd.Variant.FULL, 50, 3))
                .isEqualTo(ThunderingHerd.run(ThunderingHerd.Setting.STUDY, ThunderingHerd.Variant.FULL, 50, 3));
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
        assertThat(adaptive.extraLoad())
                .as("a p95 delay hedges about one call in twenty, from its start")
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
        assertThat(tail.cheapestReaching(limit).orElseThrow().extraLoad())
                .as("what meeting the target costs")
                .isGreaterThan(0.08);
        assertThat(adaptive.p99())
                .as("the adaptive delay is about as good as the best fixed one")
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
        assertThat(sweep.get(0).extraLoad())
                .isGreaterThan(sweep.get(sweep.size() - 1).extraLoad());
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

    /** Each setting's herd, run once for all the tests that read it: the herds take a few seconds. */
    private static ThunderingHerd.Herd herd(ThunderingHerd.Setting setting) {
        return HERDS.computeIfAbsent(setting, s -> ThunderingHerd.run(s, Simulations.THUNDERING_HERD_SEED));
    }

    private static final Map<ThunderingHerd.Setting, ThunderingHerd.Herd> HERDS =
            new EnumMap<>(ThunderingHerd.Setting.class);

    private static ThunderingHerd.Result result(ThunderingHerd.Herd herd, ThunderingHerd.Variant variant) {
        return Simulations.find(herd.results(), variant.label());
    }

    @Test
    void writesTheReportAndReadsItBack(@TempDir Path directory) throws Exception {
        Simulations.Report report = Simulations.run();
        Path file = directory.resolve("simulation.json");

        Simulations.write(report, file);

        assertThat(Simulations.read(file)).isEqualTo(report);
        assertThat(report.targets()).isNotEmpty();
        assertThat(report.targets())
                .filteredOn(target -> target.claim().contains("p99 with the"))
                .as("the p99 targets of both bodies show the floor the latency model sets beside them")
                .hasSize(4)
                .allSatisfy(target ->
                        assertThat(target.measured()).contains("no fixed delay within 5.0 % extra does better than"));
    }
}
