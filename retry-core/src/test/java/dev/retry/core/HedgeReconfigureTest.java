package dev.retry.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retry.test.VirtualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A hedging policy changed while running keeps what it has learnt while the change leaves it
 * meaningful: the budget's window while its ratio holds, the latencies an adaptive delay follows
 * while the delay stays adaptive; and it reads its adaptive delay afresh, at once, under the new
 * percentile and bounds.
 */
class HedgeReconfigureTest {

    private static final long MS = 1_000_000L;

    private final VirtualClock time = new VirtualClock();

    private HedgePolicyBuilder policy() {
        return HedgePolicy.builder().name("search").ticker(time).scheduler(time);
    }

    private static void feed(HedgePolicy hedge, long nanos, int count) {
        for (int i = 0; i < count; i++) {
            hedge.recordLatency(nanos);
        }
    }

    @Test
    void theBudgetKeepsItsWindowWhileItsRatioIsUnchangedAndStartsAfreshWithANewOne() {
        HedgePolicy hedge = policy().delay(Duration.ofMillis(50)).budget(0.5).build();
        HedgeBudget budget = hedge.budget().orElseThrow();
        for (int i = 0; i < 4; i++) {
            budget.recordCall();
        }

        hedge.reconfigure(HedgePolicy.builder(hedge.config()).maxHedges(2).buildConfig());
        assertThat(hedge.budget()).containsSame(budget);
        assertThat(hedge.budget().orElseThrow().callsInWindow()).isEqualTo(4);

        hedge.reconfigure(HedgePolicy.builder(hedge.config()).budget(0.25).buildConfig());
        assertThat(hedge.budget().orElseThrow().ratio()).isEqualTo(0.25);
        assertThat(hedge.budget().orElseThrow().callsInWindow()).isZero();
    }

    @Test
    void anAdaptiveDelayKeepsItsLatenciesAndIsReadUnderTheNewBoundsAtOnce() {
        HedgePolicy hedge = policy().delayPercentile(90, Duration.ofMillis(5), Duration.ofSeconds(1))
                .build();
        feed(hedge, 40 * MS, 100);
        assertThat(hedge.currentDelay().toNanos()).as("p90 of 40 ms calls").isBetween(40 * MS, 43 * MS);

        // A tighter ceiling, set while running: the next call hedges at it, not after the next refresh.
        hedge.reconfigure(HedgePolicy.builder(hedge.config())
                .delayPercentile(95, Duration.ofMillis(5), Duration.ofMillis(20))
                .buildConfig());

        assertThat(hedge.currentDelay())
                .as("the same latencies, read under the new bounds")
                .isEqualTo(Duration.ofMillis(20));
    }
}
