package dev.retry.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The dashboard's latency per phase: each phase's own searches, never blurred by the phase before. */
class SearchLatencyTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Counter hedgesStarted =
            Counter.builder("hedge.attempts").tag("name", "search").register(registry);
    private final SearchLatency latency = new SearchLatency(registry);

    private void record(String phase, long hedgedMillis, long unhedgedMillis) {
        latency.record(
                phase,
                Duration.ofMillis(hedgedMillis).toNanos(),
                Duration.ofMillis(unhedgedMillis).toNanos());
    }

    @Test
    void aPhaseP99IsItsOwnNotTheOneSecondWaitsOfThePhaseBefore() {
        for (int i = 0; i < 100; i++) {
            record("flaky", 1040, 1040); // Retry-After: 1 on both sides
        }
        for (int i = 0; i < 100; i++) {
            boolean slow = i % 25 == 0; // 4 % of the slow tail's answers take 200 ms; the hedge answers in 30
            record("slow-tail", slow ? 30 : 10, slow ? 200 : 10);
        }

        assertThat(latency.phases())
                .extracting(SearchLatency.PhaseLatency::phase)
                .containsExactly("flaky", "slow-tail");
        SearchLatency.PhaseLatency slowTail = latency.phases().get(1);
        assertThat(slowTail.searches()).isEqualTo(100);
        assertThat(slowTail.unhedgedP99()).isEqualTo(200.0);
        assertThat(slowTail.hedgedP99()).isEqualTo(30.0);
        assertThat(slowTail.unhedgedP50()).isEqualTo(10.0);
        assertThat(latency.phases().get(0).hedgedP99()).isEqualTo(1040.0);
    }

    @Test
    void theHedgesStartedBetweenTwoSearchesAreCountedToTheLaterOnesPhase() {
        record("healthy", 10, 10);
        hedgesStarted.increment(3);
        record("slow-tail", 30, 200);
        hedgesStarted.increment(2);
        record("slow-tail", 10, 10);
        record("healthy", 10, 10);

        assertThat(latency.phases())
                .extracting(
                        SearchLatency.PhaseLatency::phase,
                        SearchLatency.PhaseLatency::searches,
                        SearchLatency.PhaseLatency::hedges)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("healthy", 2L, 0L),
                        org.assertj.core.groups.Tuple.tuple("slow-tail", 2L, 5L));
    }

    @Test
    void aPhaseKeepsItsLastThousandSearches() {
        for (int i = 0; i < SearchLatency.SAMPLES_PER_PHASE; i++) {
            record("slow-tail", 500, 500);
        }
        for (int i = 0; i < SearchLatency.SAMPLES_PER_PHASE; i++) {
            record("slow-tail", 20, 20);
        }

        SearchLatency.PhaseLatency slowTail = latency.phases().get(0);
        assertThat(slowTail.hedgedP99()).as("the older thousand are gone").isEqualTo(20.0);
        assertThat(slowTail.searches()).as("but counted").isEqualTo(2L * SearchLatency.SAMPLES_PER_PHASE);
    }

    @Test
    void aStepsP99CoversTheSearchesSinceTheStepBeforeAndIsZeroWithoutAny() {
        record("flaky", 1040, 1040);
        assertThat(latency.takeStep()).isEqualTo(new SearchLatency.StepLatency(1040.0, 1040.0));

        record("slow-tail", 12, 240);
        record("slow-tail", 8, 9);
        assertThat(latency.takeStep()).isEqualTo(new SearchLatency.StepLatency(12.0, 240.0));
        assertThat(latency.takeStep()).isEqualTo(new SearchLatency.StepLatency(0, 0));
    }

    @Test
    void theTimersForPrometheusSeeEverySearch() {
        record("healthy", 10, 20);
        record("slow-tail", 30, 200);

        assertThat(registry.get("sample.search.latency")
                        .tag("hedging", "on")
                        .timer()
                        .count())
                .isEqualTo(2);
        assertThat(registry.get("sample.search.latency")
                        .tag("hedging", "off")
                        .timer()
                        .max(java.util.concurrent.TimeUnit.MILLISECONDS))
                .isEqualTo(200.0);
    }
}
